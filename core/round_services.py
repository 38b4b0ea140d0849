"""Use cases on inspection rounds: generate the plans' rounds, tell inspectors their day,
remind before a window closes and close rounds when it has, one function each.

Every function is safe to run again at the same instant, and in two processes at once:
generation adds a round only where (plan, area, opening) is free, a day's list is claimed
per person and day, and a swept round moves its deadline on (the claim is the row lock).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core import deadline
from core.deadline import Deadline, DeadlinePolicy
from core.inspections import Round, RoundState
from core.plant import Plant
from core.ports import Clock, UnitOfWork
from core.round_events import (
    RoundCompleted,
    RoundEvent,
    RoundMissed,
    RoundReminded,
    RoundsAnnounced,
)
from core.round_progress import done_at, judged, left
from core.round_settings import SpecialPlan
from core.rounds import MISSED_LADDER, day_start, fingerprint, plant_day, rounds_on

DAY = timedelta(days=1)


def generate_rounds(*, uow: UnitOfWork, plant: Plant, clock: Clock,
                    extra: Sequence[SpecialPlan] = ()) -> list[Round]:
    """Add the rounds of today and tomorrow (plant days) that are not there yet; returns
    those added. A round whose window already closed is left out: nobody could do it.
    `extra` are the special plans added at run time (`TrendBook.added_plans`)."""
    if plant.inspections is None:
        return []
    now = clock.now()
    today = plant_day(plant, now)
    added: list[Round] = []
    for day in (today, today + DAY):
        planned = rounds_on(plant, day, extra)
        mark = fingerprint(planned)
        if uow.rounds.generated(day) == mark:
            continue
        added += [r for r in planned if r.closes_at > now and uow.rounds.add_if_absent(r)]
        uow.rounds.mark_generated(day, mark, now)
    return added


def announce_rounds(*, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[RoundsAnnounced]:
    """From the plant's `announce_at` on, each inspector gets today's rounds still to do in
    one message, once."""
    now = clock.now()
    today = plant_day(plant, now)
    announced: list[RoundsAnnounced] = []
    for person, rounds in _unannounced(uow, plant, today, now).items():
        if uow.rounds.claim_announcement(person, today, now):
            event = RoundsAnnounced(person, today.isoformat(),
                                    tuple(r.id for r in rounds if r.id is not None))
            uow.record(event)
            announced.append(event)
    return announced


def _unannounced(uow: UnitOfWork, plant: Plant, today: date,
                 now: datetime) -> dict[str, list[Round]]:
    settings = plant.inspections
    if settings is None or now < _announce_instant(plant, today):
        return {}
    told = uow.rounds.announced(today)
    waiting: dict[str, list[Round]] = {}
    for round_ in uow.rounds.between(day_start(plant, today), day_start(plant, today + DAY)):
        if round_.closes_at > now and round_.assignee not in told:
            waiting.setdefault(round_.assignee, []).append(round_)
    return waiting


def _announce_instant(plant: Plant, day: date) -> datetime:
    settings = plant.inspections
    at = settings.announce_time if settings is not None else time(0)
    return datetime.combine(day, at, tzinfo=ZoneInfo(plant.timezone))


def next_planning_at(*, uow: UnitOfWork, plant: Plant, now: datetime,
                     extra: Sequence[SpecialPlan] = ()) -> datetime | None:
    """When generation or the day's lists are next due: now while today or tomorrow lacks
    its rounds or someone's list is owed, else the next announcement or midnight."""
    if plant.inspections is None:
        return None
    today = plant_day(plant, now)
    if any(uow.rounds.generated(day) != fingerprint(rounds_on(plant, day, extra))
           for day in (today, today + DAY)):
        return now
    if _unannounced(uow, plant, today, now):
        return now
    announce = _announce_instant(plant, today)
    midnight = day_start(plant, today + DAY)
    return min(announce, midnight) if announce > now else midnight


def move_due_rounds(due: Sequence[Round], *, uow: UnitOfWork, plant: Plant,
                    clock: Clock) -> list[RoundEvent]:
    """Close each round whose window closed, or remind its inspector of what is left; the
    round's times move on, so a second sweep finds nothing."""
    now = clock.now()
    events: list[RoundEvent] = []
    for round_ in due:
        if round_.state is not RoundState.OPEN:
            continue
        if round_.due_at is not None and round_.due_at <= now:
            events.append(close_round(round_, uow=uow, plant=plant, clock=clock))
        elif round_.remind_at is not None and round_.remind_at <= now:
            events += remind_round(round_, uow=uow, clock=clock)
    return events


def remind_round(round_: Round, *, uow: UnitOfWork, clock: Clock) -> list[RoundEvent]:
    """One reminder, unless every checkpoint is already done."""
    assert round_.id is not None
    missing = left(round_, done_in(uow, round_))
    round_.remind_at = None
    uow.rounds.save(round_)
    if not missing:
        return []
    event = RoundReminded(round_.id, round_.assignee, left=missing)
    _record(uow, clock, event)
    return [event]


def close_round(round_: Round, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> RoundEvent:
    """Judge the round by what was done in its window; a partial or missed one climbs the
    deadline kit's ladder (the safety manager), which stops there: told once."""
    assert round_.id is not None
    now = clock.now()
    done = done_in(uow, round_)
    round_.state, round_.finished_at = judged(round_, done), now
    event: RoundEvent
    if round_.state is RoundState.COMPLETE:
        round_.due_at = round_.remind_at = None
        event = RoundCompleted(round_.id, round_.assignee)
    else:
        policy = round_.policy or DeadlinePolicy(ladder=MISSED_LADDER, repeat=None)
        kept = Deadline(policy, round_.escalation_level, round_.due_at, round_.remind_at)
        climbed = deadline.climb(kept, now)
        moved = climbed.deadline if climbed else deadline.moved(kept, now=now, due_at=None)
        round_.policy, round_.escalation_level = moved.policy, moved.level
        round_.due_at, round_.remind_at = moved.due_at, moved.remind_at
        role = climbed.rung.role if climbed else policy.ladder[-1].role
        told = tuple(p.id for p in plant.with_role(role)) if climbed else ()
        event = RoundMissed(round_.id, round_.assignee, state=round_.state,
                            missed=left(round_, done, by=round_.closes_at), level=moved.level,
                            role=role, recipients=told)
    uow.rounds.save(round_)
    _record(uow, clock, event)
    return event


def done_in(uow: UnitOfWork, round_: Round) -> dict[str, datetime]:
    """When each checkpoint of a stored round was done, from its check-ins."""
    if round_.id is None:
        return {}
    return done_at(round_, uow.checkins.for_round(round_.id), uow.checkins.answers)


def _record(uow: UnitOfWork, clock: Clock, event: RoundEvent) -> None:
    """Write the event to the audit log under its round, and record it for its subscribers."""
    data = {k: v for k, v in asdict(event).items() if v not in (None, ())}
    data.pop("round_id")
    uow.audit.append(at=clock.now(), actor="system", action=type(event).__name__,
                     subject=f"round:{event.round_id}", data=data)
    uow.record(event)

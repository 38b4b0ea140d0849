"""Use cases of a check-in: which checkpoints a person may check in at now, checking in, and
keeping the checklist answered there. One function each; the rules are core/checkin.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.checkin import Fix
from core.inspections import CheckIn, ChecklistAnswer, Round
from core.plant import Checkpoint, Plant
from core.ports import Clock, UnitOfWork
from core.round_progress import done_at, left
from core.rounds import day_start, plant_day

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Due:
    """A checkpoint of a round still to be done; `late` once the round's window has closed."""

    round: Round
    checkpoint: Checkpoint
    late: bool = False


def todays_rounds(uow: UnitOfWork, plant: Plant, person: str, now: datetime) -> list[Round]:
    """The person's rounds of the plant day, earliest first."""
    today = plant_day(plant, now)
    return uow.rounds.for_person(person, day_start(plant, today), day_start(plant, today + DAY))


def left_in(uow: UnitOfWork, round_: Round) -> tuple[str, ...]:
    """The round's checkpoints not done yet (checked in, checklist answered)."""
    if round_.id is None:
        return round_.checkpoints
    return left(round_, done_at(round_, uow.checkins.for_round(round_.id), uow.checkins.answers))


def due_checkpoints(uow: UnitOfWork, plant: Plant, person: str, now: datetime) -> list[Due]:
    """What the person may check in at now: the checkpoints left in today's rounds that have
    opened, those whose window is open first (the soonest to close first), then those whose
    window closed (done late, which coverage reports show as late). A checkpoint in two
    rounds is listed for each, so a check-in there serves the first."""
    places = {c.id: c for c in plant.checkpoints}
    started = [r for r in todays_rounds(uow, plant, person, now) if r.opens_at <= now]
    started.sort(key=lambda r: (r.closes_at <= now, r.closes_at, r.id or 0))
    return [Due(r, places[c], late=r.closes_at <= now)
            for r in started for c in left_in(uow, r) if c in places]


def check_in(due: Due, fix: Fix, *, distance_m: float, person: str, evidence: str,
             uow: UnitOfWork, clock: Clock) -> CheckIn:
    """Record presence at a due checkpoint (already judged by core.checkin.judge)."""
    assert due.round.id is not None
    now = clock.now()
    made = uow.checkins.add(CheckIn(
        round_id=due.round.id, checkpoint=due.checkpoint.id, person=person, at=now,
        lat=fix.point.lat, lon=fix.point.lon, distance_m=round(distance_m, 1),
        accuracy_m=fix.point.accuracy_m, evidence=evidence,
    ))
    data: dict[str, object] = {"checkpoint": made.checkpoint, "distance_m": made.distance_m,
                               "accuracy_m": made.accuracy_m, "live": fix.live}
    if due.late:
        data["late"] = True
    uow.audit.append(at=now, actor=person, action="CheckedIn",
                     subject=f"round:{due.round.id}", data=data)
    return made


def keep_checklist(checkin: CheckIn, answers: Sequence[ChecklistAnswer], *, uow: UnitOfWork,
                   clock: Clock) -> None:
    """Store a check-in's whole checklist at once: its checkpoint is done from now on."""
    now = clock.now()
    for answer in answers:
        uow.checkins.answer(answer)
    counts = {value: sum(a.answer == value for a in answers) for value in
              {a.answer for a in answers}}
    uow.audit.append(
        at=now, actor=checkin.person, action="ChecklistAnswered",
        subject=f"round:{checkin.round_id}",
        data={"checkpoint": checkin.checkpoint, "checkin": checkin.id,
              "answers": {k.value: v for k, v in sorted(counts.items())},
              "tickets": [a.ticket for a in answers if a.ticket]},
    )

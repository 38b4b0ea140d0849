"""Rounds on the deadline kit: one reminder before the window closes, the state at the close
(complete, partial with the checkpoints missed, missed), the safety manager told once, and
each inspector's list of the day sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.clock import SimClock
from core.inspections import Answer, CheckIn, ChecklistAnswer, Round, RoundState
from core.round_events import RoundCompleted, RoundEvent, RoundMissed, RoundReminded
from core.round_progress import Outcome, done_at, outcome
from core.round_services import announce_rounds, generate_rounds, move_due_rounds
from tests.unit.core.round_fakes import RoundsUnitOfWork, plant_with_rounds

MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in Suzhou
PLANT = plant_with_rounds()


def started() -> tuple[RoundsUnitOfWork, SimClock, Round]:
    """Monday's rounds generated; the MACH round (two checkpoints, 08:00–17:00) returned."""
    uow, clock = RoundsUnitOfWork(), SimClock(MONDAY)
    generate_rounds(uow=uow, plant=PLANT, clock=clock)
    mach = next(r for r in uow.rounds.rows.values()
                if r.area == "MACH" and r.opens_at.date() == MONDAY.date())
    return uow, clock, mach


def sweep(uow: RoundsUnitOfWork, clock: SimClock) -> list[RoundEvent]:
    events = move_due_rounds(uow.rounds.due(clock.now()), uow=uow, plant=PLANT, clock=clock)
    uow.commit()
    return events


def check_in(uow: RoundsUnitOfWork, round_: Round, checkpoint: str, at: datetime,
             *, answered: bool = True) -> None:
    assert round_.id is not None
    done = uow.checkins.add(CheckIn(round_.id, checkpoint, round_.assignee, at, 31.3, 120.7,
                                    distance_m=12.0, accuracy_m=10.0))
    if answered:
        assert done.id is not None
        uow.checkins.answer(ChecklistAnswer(done.id, "M1", Answer.OK, at=at))


def of(events: list[RoundEvent], round_: Round) -> list[RoundEvent]:
    return [e for e in events if e.round_id == round_.id]


def test_the_inspector_is_reminded_once_two_hours_before_the_close() -> None:
    uow, clock, mach = started()
    clock.set(datetime(2026, 11, 30, 6, 59, tzinfo=UTC))  # 14:59
    assert of(sweep(uow, clock), mach) == []
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # 15:00
    assert of(sweep(uow, clock), mach) == [
        RoundReminded(mach.id or 0, "SO1", left=("CP-MACH-1", "CP-MACH-2"))]
    assert of(sweep(uow, clock), mach) == []  # the same instant again: nothing


def test_a_reminder_names_only_what_is_left_and_is_skipped_when_all_is_done() -> None:
    uow, clock, mach = started()
    check_in(uow, mach, "CP-MACH-1", MONDAY)
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    [reminded] = of(sweep(uow, clock), mach)
    assert isinstance(reminded, RoundReminded) and reminded.left == ("CP-MACH-2",)

    uow, clock, mach = started()
    check_in(uow, mach, "CP-MACH-1", MONDAY)
    check_in(uow, mach, "CP-MACH-2", MONDAY)
    clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    assert of(sweep(uow, clock), mach) == []


def test_a_missed_round_goes_to_the_safety_manager_once() -> None:
    uow, clock, mach = started()
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # 17:00: the window closes
    missed = [e for e in of(sweep(uow, clock), mach) if isinstance(e, RoundMissed)]
    assert missed == [RoundMissed(mach.id or 0, "SO1", state=RoundState.MISSED,
                                  missed=("CP-MACH-1", "CP-MACH-2"), recipients=("SM",))]
    for later in (timedelta(0), timedelta(hours=1), timedelta(days=3)):
        clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC) + later)
        assert of(sweep(uow, clock), mach) == []
    stored = uow.rounds.get(mach.id or 0)
    assert stored is not None and stored.state is RoundState.MISSED
    assert (stored.due_at, stored.remind_at, stored.escalation_level) == (None, None, 1)
    # The first sweep came after the close: a reminder then would be no use, so none came.
    assert [e.action for e in uow.audit.entries() if e.subject == f"round:{mach.id}"] == [
        "RoundMissed"]


def test_a_round_with_some_checkpoints_done_closes_partial_naming_the_missed_ones() -> None:
    uow, clock, mach = started()
    check_in(uow, mach, "CP-MACH-2", MONDAY)
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    [*_, closed] = of(sweep(uow, clock), mach)
    assert isinstance(closed, RoundMissed)
    assert (closed.state, closed.missed) == (RoundState.PARTIAL, ("CP-MACH-1",))


def test_a_round_done_in_its_window_closes_complete_and_nobody_is_told() -> None:
    uow, clock, mach = started()
    check_in(uow, mach, "CP-MACH-1", MONDAY)
    check_in(uow, mach, "CP-MACH-2", MONDAY + timedelta(hours=7))  # 16:00
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    assert of(sweep(uow, clock), mach) == [RoundCompleted(mach.id or 0, "SO1")]
    stored = uow.rounds.get(mach.id or 0)
    assert stored is not None and stored.state is RoundState.COMPLETE


def test_a_check_in_without_its_checklist_answered_does_not_count() -> None:
    uow, clock, mach = started()
    check_in(uow, mach, "CP-MACH-1", MONDAY, answered=False)
    check_in(uow, mach, "CP-MACH-2", MONDAY)
    clock.set(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    [*_, closed] = of(sweep(uow, clock), mach)
    assert isinstance(closed, RoundMissed) and closed.missed == ("CP-MACH-1",)


def test_a_checkpoint_done_after_the_close_makes_the_round_late_not_on_time() -> None:
    uow, _, mach = started()
    check_in(uow, mach, "CP-MACH-1", MONDAY)
    close = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert outcome(mach, done_at(mach, uow.checkins.for_round(mach.id or 0),
                                 uow.checkins.answers), close - timedelta(hours=1)) is Outcome.OPEN
    check_in(uow, mach, "CP-MACH-2", close + timedelta(minutes=20))
    done = done_at(mach, uow.checkins.for_round(mach.id or 0), uow.checkins.answers)
    assert outcome(mach, done, close + timedelta(hours=1)) is Outcome.LATE
    assert outcome(mach, {}, close) is Outcome.MISSED
    assert outcome(mach, {"CP-MACH-1": MONDAY}, close) is Outcome.PARTIAL


def test_each_inspector_gets_the_days_list_once_from_the_announcement_time() -> None:
    uow = RoundsUnitOfWork()
    clock = SimClock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # 07:00 Monday in Suzhou
    generate_rounds(uow=uow, plant=PLANT, clock=clock)
    assert announce_rounds(uow=uow, plant=PLANT, clock=clock) == []  # the list comes at 07:30
    clock.set(datetime(2026, 11, 29, 23, 30, tzinfo=UTC))
    told = announce_rounds(uow=uow, plant=PLANT, clock=clock)
    assert sorted((e.person, e.day, len(e.rounds)) for e in told) == [
        ("SO1", "2026-11-30", 2), ("SO2", "2026-11-30", 1)]  # MACH and PAINT; WH on Monday
    clock.advance(timedelta(hours=2))
    assert announce_rounds(uow=uow, plant=PLANT, clock=clock) == []

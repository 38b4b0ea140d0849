"""Round generation from the plans: the plant's time zone, month boundaries, the every-two-
days anchor, Monday and Thursday, special plans, and generating twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.clock import SimClock
from core.inspections import RoundState
from core.round_services import generate_rounds, next_planning_at
from core.round_settings import parse_schedule
from core.rounds import CLASS_PLAN, rounds_on
from tests.unit.core.round_fakes import CNC07, RoundsUnitOfWork, plant_with_rounds

# 09:00 in Suzhou on Monday 30 November 2026.
MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def areas_on(day: date, **settings: object) -> list[str]:
    return [r.area for r in rounds_on(plant_with_rounds(**settings), day) if r.plan == CLASS_PLAN]


def test_a_round_window_is_the_plant_day_in_shanghai_stored_in_utc() -> None:
    [round_] = [r for r in rounds_on(plant_with_rounds(), date(2026, 11, 30)) if r.area == "MACH"]
    # 08:00–17:00 in Asia/Shanghai (UTC+8 all year, no daylight saving).
    assert round_.opens_at == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert round_.remind_at == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 2 h before closing
    assert round_.due_at == round_.closes_at
    assert (round_.assignee, round_.checkpoints) == ("SO1", ("CP-MACH-1", "CP-MACH-2"))
    assert round_.state is RoundState.OPEN and round_.policy is not None
    assert round_.policy.repeat is None  # a missed round is told once, never again


def test_generating_after_utc_midnight_but_before_plant_midnight_plans_the_plant_days() -> None:
    # 23:30 UTC on 30 November is 07:30 on 1 December in Suzhou: today is the 1st there.
    uow, clock = RoundsUnitOfWork(), SimClock(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    added = generate_rounds(uow=uow, plant=plant_with_rounds(), clock=clock)
    days = {r.opens_at.astimezone(UTC).date() for r in added}
    assert days == {date(2026, 12, 1), date(2026, 12, 2)}  # 08:00 there is 00:00 UTC


def test_a_window_past_midnight_closes_the_next_plant_day() -> None:
    [round_] = [r for r in rounds_on(plant_with_rounds(window="22:00-06:00"), date(2026, 11, 30))
                if r.area == "MACH"]
    assert round_.opens_at == datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)


def test_a_daily_area_has_a_round_every_day_across_the_end_of_a_month() -> None:
    days = [date(2026, 11, 29) + timedelta(days=n) for n in range(4)]  # 29 Nov – 2 Dec
    assert ["MACH" in areas_on(day) for day in days] == [True] * 4


def test_every_two_days_alternates_across_a_31_day_month_and_a_year_end() -> None:
    for first in (date(2026, 10, 28), date(2026, 12, 28)):
        due = ["PAINT" in areas_on(first + timedelta(days=n)) for n in range(8)]
        # Counted from the anchor, not the day of the month: 31 → 1 does not repeat a day.
        assert due in ([True, False] * 4, [False, True] * 4), (first, due)


def test_every_two_days_counts_from_the_anchor_so_a_restart_never_shifts_it() -> None:
    day = date(2026, 11, 30)
    anchored = "PAINT" in areas_on(day)
    assert anchored == ((day - date(2024, 1, 1)).days % 2 == 0)
    assert ("PAINT" in areas_on(day, anchor=date(2024, 1, 2))) is not anchored
    # A new process computes the same: nothing but the day and the anchor decides.
    assert [areas_on(day) for _ in range(3)] == [areas_on(day)] * 3


def test_class_c_areas_are_inspected_on_monday_and_thursday() -> None:
    week = [date(2026, 11, 30) + timedelta(days=n) for n in range(7)]
    assert [d.strftime("%a") for d in week if "WH" in areas_on(d)] == ["Mon", "Thu"]


def test_a_class_plan_can_be_changed_or_switched_off() -> None:
    week = [date(2026, 11, 30) + timedelta(days=n) for n in range(7)]
    weekly = [d.strftime("%a") for d in week if "WH" in areas_on(d, classes={"C": ("fri",)})]
    assert weekly == ["Fri"]
    assert not any("WH" in areas_on(d, classes={"C": "none"}) for d in week)


@pytest.mark.parametrize(("written", "days"), [
    ("daily", None), ("every 3 days", None), (("mon", "thu"), {0, 3}), ("Tue, Friday", {1, 4}),
])
def test_schedules_read_as_people_write_them(written: str | tuple[str, ...],
                                             days: set[int] | None) -> None:
    schedule = parse_schedule(written)
    assert set(schedule.weekdays) == (days or set())


@pytest.mark.parametrize("written", ["weekly", "every 0 days", ("mon", "someday"), ""])
def test_a_schedule_nobody_can_read_is_refused(written: str | tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match=r"schedule|never"):
        parse_schedule(written)


def test_a_special_plan_gives_a_round_per_window_on_its_checkpoints() -> None:
    rounds = [r for r in rounds_on(plant_with_rounds(special=(CNC07,)), date(2026, 12, 1))
              if r.plan == "cnc07"]
    assert [(r.opens_at.hour, r.closes_at.hour) for r in rounds] == [(0, 4), (5, 9)]  # UTC
    assert {(r.area, r.assignee, r.checkpoints) for r in rounds} == {
        ("MACH", "SO1", ("CP-MACH-1",))}


def test_a_special_plan_keeps_to_its_days_and_may_name_its_inspector() -> None:
    plan = replace(CNC07, days=("thu",), inspector="SO2")
    week = [date(2026, 11, 30) + timedelta(days=n) for n in range(7)]
    found = [(d, r.assignee) for d in week
             for r in rounds_on(plant_with_rounds(special=(plan,)), d) if r.plan == "cnc07"]
    assert found == [(date(2026, 12, 3), "SO2")] * 2


def test_generating_twice_adds_each_round_once_and_an_edited_plan_adds_only_what_is_new() -> None:
    uow, clock, plant = RoundsUnitOfWork(), SimClock(MONDAY), plant_with_rounds()
    first = generate_rounds(uow=uow, plant=plant, clock=clock)
    assert first and generate_rounds(uow=uow, plant=plant, clock=clock) == []
    edited = plant_with_rounds(special=(CNC07,))
    added = generate_rounds(uow=uow, plant=edited, clock=clock)
    assert {r.plan for r in added} == {"cnc07"}
    assert len(uow.rounds.rows) == len(first) + len(added)


def test_a_round_whose_window_already_closed_is_not_generated() -> None:
    late = SimClock(datetime(2026, 11, 30, 10, 0, tzinfo=UTC))  # 18:00 in Suzhou
    added = generate_rounds(uow=RoundsUnitOfWork(), plant=plant_with_rounds(), clock=late)
    assert added and all(r.opens_at.date() == date(2026, 12, 1) for r in added)


def test_planning_is_due_now_until_both_days_are_generated_then_at_plant_midnight() -> None:
    uow, clock, plant = RoundsUnitOfWork(), SimClock(MONDAY), plant_with_rounds()
    assert next_planning_at(uow=uow, plant=plant, now=clock.now()) == clock.now()
    generate_rounds(uow=uow, plant=plant, clock=clock)
    # 09:00 is past the 07:30 list, which is owed: due now until it is sent (see notices).
    uow.rounds.told |= {("SO1", date(2026, 11, 30)), ("SO2", date(2026, 11, 30))}
    midnight = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert next_planning_at(uow=uow, plant=plant, now=clock.now()) == midnight


def test_a_plant_without_inspections_plans_nothing() -> None:
    plant = replace(plant_with_rounds(), inspections=None)
    uow = RoundsUnitOfWork()
    assert generate_rounds(uow=uow, plant=plant, clock=SimClock(MONDAY)) == []
    assert next_planning_at(uow=uow, plant=plant, now=MONDAY) is None

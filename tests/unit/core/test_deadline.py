"""The deadline kit: a policy copied on opening, a level, a due time, a reminder point."""

from __future__ import annotations

from datetime import timedelta

from core import deadline
from core.deadline import Deadline, DeadlinePolicy, Rung
from core.plant import Role
from tests.unit.core.fakes import T0

HOUR = timedelta(hours=1)
POLICY = DeadlinePolicy(
    windows={"acknowledge": 24 * HOUR, "resolve": 7 * 24 * HOUR},
    ladder=(Rung(Role.DEPARTMENT_HEAD, 4 * HOUR), Rung(Role.SAFETY_MANAGER)),
)


def test_a_started_deadline_is_due_one_window_later_at_the_bottom_of_the_ladder() -> None:
    started = deadline.start(POLICY, "acknowledge", T0)
    assert (started.level, started.due_at) == (0, T0 + 24 * HOUR)
    assert started.policy is POLICY


def test_the_reminder_falls_three_quarters_of_the_way_to_the_due_time_by_default() -> None:
    assert deadline.start(POLICY, "acknowledge", T0).remind_at == T0 + 18 * HOUR


def test_a_policy_may_set_its_own_reminder_point() -> None:
    halfway = DeadlinePolicy(POLICY.windows, POLICY.ladder, remind_share=0.5)
    assert deadline.start(halfway, "resolve", T0).remind_at == T0 + 84 * HOUR


def test_a_window_the_policy_lacks_gives_nothing_to_time() -> None:
    started = deadline.start(POLICY, "confirm", T0)
    assert (started.due_at, started.remind_at) == (None, None)


def test_a_move_keeps_the_rung_and_reminds_within_the_time_left() -> None:
    climbed = Deadline(POLICY, level=1, due_at=T0 + HOUR)
    moved = deadline.moved(climbed, now=T0 + 2 * HOUR, due_at=T0 + 10 * HOUR)
    assert (moved.level, moved.due_at, moved.remind_at) == (1, T0 + 10 * HOUR, T0 + 8 * HOUR)


def test_a_move_back_to_the_bottom_resets_the_level() -> None:
    climbed = Deadline(POLICY, level=2)
    assert deadline.moved(climbed, now=T0, due_at=T0 + HOUR, level=0).level == 0


def test_a_due_time_already_passed_has_no_reminder_left() -> None:
    moved = deadline.moved(Deadline(POLICY), now=T0, due_at=T0 - HOUR)
    assert (moved.due_at, moved.remind_at) == (T0 - HOUR, None)


def test_the_first_climb_tells_the_first_rung_and_times_it_by_that_rungs_window() -> None:
    climbed = deadline.climb(deadline.start(POLICY, "acknowledge", T0), T0 + 24 * HOUR)
    assert climbed is not None
    assert climbed.rung == Rung(Role.DEPARTMENT_HEAD, 4 * HOUR)
    assert (climbed.deadline.level, climbed.deadline.due_at) == (1, T0 + 28 * HOUR)
    assert climbed.deadline.remind_at == T0 + 27 * HOUR


def test_the_top_rung_is_told_and_then_nothing_is_timed() -> None:
    climbed = deadline.climb(Deadline(POLICY, level=1, due_at=T0), T0)
    assert climbed is not None and climbed.rung.role is Role.SAFETY_MANAGER
    assert (climbed.deadline.level, climbed.deadline.due_at) == (2, None)


def test_a_window_on_the_top_rung_is_ignored_for_there_is_no_rung_above() -> None:
    policy = DeadlinePolicy(ladder=(Rung(Role.SAFETY_MANAGER, HOUR),))
    climbed = deadline.climb(Deadline(policy), T0)
    assert climbed is not None and climbed.deadline.due_at is None


def test_past_the_top_of_the_ladder_the_step_function_says_stop() -> None:
    assert deadline.climb(Deadline(POLICY, level=2), T0) is None
    assert deadline.climb(Deadline(DeadlinePolicy()), T0) is None


def test_on_the_top_rung_nothing_is_due_but_the_rung_is_reminded_every_repeat() -> None:
    climbed = deadline.climb(Deadline(POLICY, level=1, due_at=T0), T0)
    assert climbed is not None
    assert climbed.deadline.remind_at == T0 + 24 * HOUR
    never = DeadlinePolicy(POLICY.windows, POLICY.ladder, repeat=None)
    once = deadline.climb(Deadline(never, level=1, due_at=T0), T0)
    assert once is not None and once.deadline.remind_at is None


def test_a_climb_to_the_top_tells_every_rung_left_in_one_go() -> None:
    climbed = deadline.climb(deadline.start(POLICY, "acknowledge", T0), T0, to_top=True)
    assert climbed is not None
    assert climbed.passed == (Rung(Role.DEPARTMENT_HEAD, 4 * HOUR),)
    assert climbed.rung.role is Role.SAFETY_MANAGER
    assert (climbed.deadline.level, climbed.deadline.due_at) == (2, None)
    assert deadline.climb(climbed.deadline, T0, to_top=True) is None


def test_an_exhausted_deadline_reminds_the_top_rung_one_repeat_later() -> None:
    late = Deadline(POLICY, level=2, due_at=T0, remind_at=None)
    assert deadline.exhausted(late, T0 + HOUR) == Deadline(POLICY, 2, None, T0 + 25 * HOUR)

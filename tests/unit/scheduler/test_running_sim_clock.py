"""The clock of `--clock sim`: real time plus an offset that only `!wait` moves forward."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.clock import SimClock
from scheduler.clock import RunningSimClock, SettableClock

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


class FakeRealTime:
    """The wall clock as a test moves it: no sleeping."""

    def __init__(self, start: datetime = T0) -> None:
        self.instant = start

    def __call__(self) -> datetime:
        return self.instant

    def pass_(self, span: timedelta) -> None:
        self.instant += span


def test_the_clock_follows_real_time_between_jumps() -> None:
    real = FakeRealTime()
    clock = RunningSimClock(real)
    assert clock.now() == T0
    real.pass_(timedelta(seconds=90))
    assert clock.now() == T0 + timedelta(seconds=90)


def test_setting_forward_jumps_and_real_time_keeps_running_from_there() -> None:
    real = FakeRealTime()
    clock = RunningSimClock(real)
    clock.set(T0 + timedelta(hours=25))
    assert clock.now() == T0 + timedelta(hours=25)
    real.pass_(timedelta(seconds=3))
    assert clock.now() == T0 + timedelta(hours=25, seconds=3)


def test_advancing_adds_to_the_time_already_passed() -> None:
    real = FakeRealTime()
    clock = RunningSimClock(real)
    real.pass_(timedelta(minutes=5))
    clock.advance(timedelta(hours=2))
    assert clock.now() == T0 + timedelta(hours=2, minutes=5)


def test_setting_the_clock_back_is_refused_and_changes_nothing() -> None:
    real = FakeRealTime()
    clock = RunningSimClock(real)
    clock.advance(timedelta(hours=1))
    with pytest.raises(ValueError, match="backwards"):
        clock.set(T0)
    assert clock.now() == T0 + timedelta(hours=1)


def test_a_real_clock_stepped_back_does_not_take_the_plant_back_in_time() -> None:
    real = FakeRealTime()
    clock = RunningSimClock(real)
    real.pass_(timedelta(minutes=10))
    seen = clock.now()
    real.pass_(-timedelta(minutes=4))
    assert clock.now() == seen
    real.pass_(timedelta(minutes=5))
    assert clock.now() == seen + timedelta(minutes=1)


def test_a_naive_time_source_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        RunningSimClock(lambda: datetime(2026, 11, 30, 9, 0))  # noqa: DTZ001  (the mistake under test)


def test_without_a_source_it_reads_the_real_clock_in_utc() -> None:
    before = datetime.now(UTC)
    now = RunningSimClock().now()
    assert before <= now <= datetime.now(UTC) and now.utcoffset() == timedelta(0)


def test_both_simulated_clocks_can_be_set_forward_by_the_shell() -> None:
    clocks: list[SettableClock] = [SimClock(T0), RunningSimClock(FakeRealTime())]
    for clock in clocks:
        clock.set(T0 + timedelta(hours=1))
        assert clock.now() == T0 + timedelta(hours=1)

"""Clocks at the edge, where the domain may not look: the real one and the demo's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SettableClock(Protocol):
    """A clock that can be set forward: what `!wait` and `run_until` need."""

    def now(self) -> datetime: ...
    def set(self, instant: datetime) -> None: ...


class RunningSimClock:
    """Real time plus an offset that only grows: `--clock sim` runs on, and `!wait` jumps."""

    def __init__(self, source: Callable[[], datetime] = _utc_now) -> None:
        self._source = source
        self._offset = timedelta()
        self._last = self._read()

    def _read(self) -> datetime:
        instant = self._source()
        if instant.tzinfo is None:
            raise ValueError("the clock's time source must give aware times")
        return instant + self._offset

    def now(self) -> datetime:
        # The real clock may be stepped back (NTP); the plant's time never runs backwards.
        self._last = max(self._last, self._read())
        return self._last

    def advance(self, by: timedelta) -> None:
        self.set(self.now() + by)

    def set(self, instant: datetime) -> None:
        current = self.now()
        if instant < current:
            raise ValueError("time does not run backwards")
        self._offset += instant - current
        self._last = instant

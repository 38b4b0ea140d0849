"""A clock that only moves when told to: for tests, demos and `--clock sim`."""

from __future__ import annotations

from datetime import datetime, timedelta


class SimClock:
    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the simulated clock needs an aware start time")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> None:
        self.set(self._now + by)

    def set(self, instant: datetime) -> None:
        if instant < self._now:
            raise ValueError("time does not run backwards")
        self._now = instant

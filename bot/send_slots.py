"""How many sends one channel may have in flight: as many as its call time calls for.

Calls in flight together hide each other's round trip: at 250 ms a call, Telegram's 30
messages a second need 8 at once. But httpx checks every idle connection of its pool on
each request, so connections a fast platform never needed (a local server, a bench) cost
CPU on every later call: 8 at once against a local server doubled the HTTP work of a
message. So the limit follows the measured call time: enough calls for WANTED_PER_S, at
least MIN_IN_FLIGHT, at most MAX_IN_FLIGHT.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

MIN_IN_FLIGHT = 2
MAX_IN_FLIGHT = 8
WANTED_PER_S = 40.0  # above Telegram's 30 a second, with room
SMOOTHING = 0.2  # weight of the latest call in the running call time


class SendSlots:
    """Admits sends while fewer than `limit` are in flight; the others wait their turn."""

    def __init__(self) -> None:
        self.call_s = 0.0  # how long a call took lately (smoothed)
        self.busy = 0
        self._waiting: deque[asyncio.Future[None]] = deque()

    @property
    def limit(self) -> int:
        wanted = math.ceil(self.call_s * WANTED_PER_S)
        return max(MIN_IN_FLIGHT, min(MAX_IN_FLIGHT, wanted))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the slots for a call; its duration goes into the call time."""
        while self.busy >= self.limit:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.cancelled():
                    self._drop(waiter)
                else:  # woken, then cancelled: the turn goes to the next one waiting
                    self._wake()
                raise
        self.busy += 1
        started = time.monotonic()
        try:
            yield
        finally:
            self.call_s += SMOOTHING * (time.monotonic() - started - self.call_s)
            self.busy -= 1
            self._wake()

    def _drop(self, waiter: asyncio.Future[None]) -> None:
        with contextlib.suppress(ValueError):  # already taken off by a wake-up
            self._waiting.remove(waiter)

    def _wake(self) -> None:
        free = self.limit - self.busy
        while free > 0 and self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1

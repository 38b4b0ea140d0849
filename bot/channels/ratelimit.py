"""Platform rate limits kept on our side: at most N sends per window, per key (a chat, a user).

Counted with the `limits` library's moving window: it keeps the time of each send and admits
another only while fewer than N fall within the last window, which is how Telegram and WeCom
count. (A leaky bucket such as aiolimiter's refills while it drains: after a burst of N it
lets nearly N more through within the same window, and WeCom silently drops those.) Its
in-memory storage forgets a key once the key's sends have left the window, so thousands of
chats leave nothing behind.
"""

from __future__ import annotations

import asyncio
import time

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

# A full window whose oldest send is leaving this very moment still needs a moment's wait.
MIN_WAIT_S = 0.001
# How often the storage drops sends that left their windows (see TidyStorage).
TIDY_EVERY_S = 1.0


def rates(text: str) -> tuple[RateLimitItem, ...]:
    """Limits as `limits` writes them, e.g. "30/minute;1000/hour"; ValueError if unreadable."""
    return tuple(parse_many(text))


class TidyStorage(MemoryStorage):
    """limits' in-memory storage, tidying up at most once a second.

    It started a tidy-up task after every send, each handing a worker thread a bisect of
    every key: a fifth of the CPU a Telegram message cost. Counting does not need it (the
    moving window reads the sends' times), only memory does, and once a second is plenty.
    Overrides a private method: should limits rename it, tidying goes back to every send.
    """

    _tidied_at = float("-inf")

    async def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now - self._tidied_at >= TIDY_EVERY_S:
            self._tidied_at = now
            await super()._MemoryStorage__schedule_expiry()  # type: ignore[misc]


class RateLimiter:
    """Moving windows per key: a send needs room in every one of `windows`."""

    def __init__(self, *windows: RateLimitItem, margin_s: float = 0.0) -> None:
        if not windows:
            raise ValueError("a rate limiter needs at least one window")
        self.windows = windows
        # Added to every wait: our clock starts before a request leaves, the platform's
        # when it arrives.
        self.margin_s = margin_s
        self._storage = TidyStorage()
        self._counter = MovingWindowRateLimiter(self._storage)
        self._lock = asyncio.Lock()

    async def wait_s(self, key: str, count: int = 1) -> float:
        """0 when `count` more sends to `key` fit every window now; otherwise the seconds
        until the oldest send of a full window leaves it (ask again then)."""
        wait = 0.0
        for window in self.windows:
            # More sends than a window holds wait for an empty window, then go out together.
            if not await self._counter.test(window, key, cost=min(count, window.amount)):
                stats = await self._counter.get_window_stats(window, key)
                wait = max(wait, stats.reset_time - time.time() + self.margin_s, MIN_WAIT_S)
        return wait

    async def hit(self, key: str, count: int = 1) -> None:
        """Count `count` sends to `key` in every window."""
        for window in self.windows:
            await self._counter.hit(window, key, cost=min(count, window.amount))

    async def take(self, key: str) -> float:
        """Count one send to `key` and return 0 when it fits now; otherwise count nothing
        and return how long to wait."""
        async with self._lock:  # nothing else counted between the test and the hit
            wait = await self.wait_s(key)
            if not wait:
                await self.hit(key)
            return wait

    async def acquire(self, key: str) -> None:
        """Wait until one more send to `key` fits, and count it."""
        while True:
            wait = await self.take(key)
            if not wait:
                return
            await asyncio.sleep(wait)

    def keys(self) -> int:
        """How many keys the storage holds: idle ones go as later sends come in."""
        return len(self._storage.events)

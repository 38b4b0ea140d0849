"""Telegram's flood limits, kept on our side: ~30 messages a second overall, 20 a minute a group."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

from bot.channels.base import RetryLater

# Our clock starts before the request leaves and Telegram's when it arrives: keep a margin.
SECOND = 1.1
MINUTE = 61.0


class Pacer:
    """Waits briefly for the overall budget; defers a message whose group has used its minute."""

    def __init__(
        self, per_second: float = 30.0, per_group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = max(1, int(per_second))
        self.per_group = per_group_per_minute
        self.clock = clock
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def admit(self, chat_id: int, *, counts_for_group: bool = True) -> None:
        """Return when one more API call may go out now; RetryLater if the group must wait."""
        if chat_id < 0 and counts_for_group:
            self._take_group_slot(chat_id)
        async with self._lock:
            while True:
                now = self.clock()
                _prune(self._overall, now - SECOND)
                if len(self._overall) < self.per_second:
                    self._overall.append(now)
                    return
                await asyncio.sleep(self._overall[0] + SECOND - now)

    def _take_group_slot(self, chat_id: int) -> None:
        # Waiting up to a minute here would stall the delivery worker's whole batch;
        # handing the message back lets other chats go on while this group cools down.
        now = self.clock()
        window = self._groups.setdefault(chat_id, deque())
        _prune(window, now - MINUTE)
        if len(window) >= self.per_group:
            raise RetryLater(window[0] + MINUTE - now, f"group {chat_id}: over its minute budget")
        window.append(now)


def _prune(window: deque[float], before: float) -> None:
    while window and window[0] <= before:
        window.popleft()

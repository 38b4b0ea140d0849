"""Per-recipient pacing: WeCom silently drops app messages beyond its per-user limits."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from datetime import datetime, timedelta

# WeCom: "每应用对同一个成员不可超过30次/分钟，1000次/小时，超过部分会被丢弃不下发".
USER_LIMITS: tuple[tuple[int, float], ...] = ((30, 60.0), (1000, 3600.0))
# Group chats: members may receive 200 app messages a minute; keep one group well below.
GROUP_LIMITS: tuple[tuple[int, float], ...] = ((20, 60.0),)


class Pacer:
    """Sliding windows of what was sent to each address; says how long to wait for more."""

    def __init__(self, limits: Sequence[tuple[int, float]] = USER_LIMITS) -> None:
        self.limits = tuple(limits)
        self._span = timedelta(seconds=max(span for _, span in self.limits))
        self._sent: defaultdict[str, deque[datetime]] = defaultdict(deque)

    def wait_s(self, address: str, parts: int, now: datetime) -> float:
        """Seconds until `parts` more messages to `address` fit every window (0: send now)."""
        sent = self._prune(address, now)
        wait = 0.0
        for limit, span in self.limits:
            start = now - timedelta(seconds=span)
            recent = [at for at in sent if at > start]
            excess = len(recent) + min(parts, limit) - limit
            if excess > 0:  # wait until the oldest `excess` sends leave the window
                wait = max(wait, (recent[excess - 1] - start).total_seconds())
        return wait

    def record(self, address: str, now: datetime) -> None:
        self._sent[address].append(now)

    def _prune(self, address: str, now: datetime) -> deque[datetime]:
        sent = self._sent[address]
        while sent and sent[0] <= now - self._span:
            sent.popleft()
        if not sent:
            del self._sent[address]
            return deque()
        return sent

"""The delivery worker: sends what the outbox holds, in order per chat, until it is sent.

Woken right after a commit that wrote messages; otherwise it sleeps until the
next retry is due. A platform outage only delays messages: transient failures
back off and try again, without limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from datetime import timedelta

from bot.channels.base import Channel, RetryLater, Undeliverable
from core.ports import Clock
from storage.outbox_queue import Claimed, SqlOutboxQueue
from storage.photos import PhotoStore

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 600.0


def backoff_s(attempts: int) -> float:
    return float(min(2 ** attempts, MAX_BACKOFF_S))


class DeliveryWorker:
    def __init__(
        self, queue: SqlOutboxQueue, channels: Mapping[str, Channel], clock: Clock,
        photos: PhotoStore,
        *, idle_s: float = 30.0,
    ) -> None:
        self.queue, self.channels, self.clock, self.photos = queue, channels, clock, photos
        self.idle_s = idle_s
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def drain(self) -> int:
        """Send everything due now; returns how many messages went out."""
        sent = 0
        while batch := self.queue.claim(self.clock.now()):
            results = await asyncio.gather(*(self._deliver(item) for item in batch))
            sent += sum(results)
            if not any(results):
                break
        return sent

    async def _deliver(self, item: Claimed) -> bool:
        message = item.message
        channel = self.channels.get(message.channel)
        if channel is None:
            self.queue.dead(item.id, f"no channel {message.channel!r}")
            return False
        now = self.clock.now()
        try:
            image = self.photos.read(message.image) if message.image else None
            external_id = await channel.send(message, image)
        except RetryLater as wait:
            after = wait.after_s if wait.after_s is not None else backoff_s(item.attempts)
            self.queue.retry(item.id, now + timedelta(seconds=after), str(wait),
                             count=wait.after_s is None)
            return False
        except Undeliverable as refused:
            log.warning("message %s undeliverable: %s", item.id, refused)
            self.queue.dead(item.id, str(refused))
            return False
        except Exception as exc:
            log.exception("message %s failed", item.id)
            self.queue.retry(item.id, now + timedelta(seconds=backoff_s(item.attempts)), repr(exc))
            return False
        self.queue.sent(item.id, self.clock.now(), external_id)
        return True

    async def run(self) -> None:
        while True:
            await self.drain()
            due = self.queue.next_due_at()
            wait = self.idle_s
            if due is not None:
                wait = min(wait, max(0.05, (due - self.clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            self._wake.clear()

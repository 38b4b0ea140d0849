"""The delivery worker: sends what the outbox holds, in order per chat, until it is sent.

Woken right after a commit that wrote messages; otherwise it sleeps until the
next retry is due. A platform outage only delays messages: transient failures
back off (a few seconds at most) and try again, without limit; the first success
on a channel brings its other waiting messages forward at once. While a send is
in flight the worker renews its short leases, so a lease left unrenewed means a
dead worker; on start it takes back the leases its own earlier run left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from bot.channels.base import Channel, RetryLater, Undeliverable
from bot.group_commit import GroupCommit
from bot.pictures import PictureDrawer
from bot.send_slots import SendSlots
from core.messages import OutMessage
from core.ports import BlobStore, Clock, PhotoStore
from storage.outbox_queue import LEASE, Claimed, Sent, SqlOutboxQueue

log = logging.getLogger(__name__)

# Low, so messages follow within seconds once a platform is back from an outage of any length.
MAX_BACKOFF_S = 15.0
# How often a success may bring a channel's waiting messages forward: a message that keeps
# failing in one chat is then retried every few seconds, not after every other chat's send.
WAKE_EVERY = timedelta(seconds=5)


# Not a tenacity wait: a failed message is rescheduled in the outbox, not slept on, and its
# attempts are counted in its row, so there is no retry loop here for tenacity to run.
def backoff_s(attempts: int, jitter: float) -> float:
    """Seconds before the next try after `attempts` failures; `jitter` in [0, 1) spreads
    retries so that messages that failed together do not all come back together."""
    ceiling = min(2.0 ** min(attempts, 32), MAX_BACKOFF_S)
    return ceiling * (0.5 + 0.5 * jitter)


class DeliveryWorker:
    def __init__(
        self, queue: SqlOutboxQueue, channels: Mapping[str, Channel], clock: Clock,
        photos: PhotoStore,
        *, blobs: BlobStore | None = None,
        idle_s: float = 30.0, renew_s: float = LEASE.total_seconds() / 3,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.queue, self.channels, self.clock, self.photos = queue, channels, clock, photos
        self.blobs = blobs
        self.pictures = PictureDrawer(photos)
        self.idle_s, self.renew_s, self.jitter = idle_s, renew_s, jitter
        self._wake = asyncio.Event()
        self._took_back = False
        self._woke_channel: dict[str, datetime] = {}
        # A claim's sends go out together, but no more at once than a channel's call time
        # calls for (bot.send_slots).
        self._slots: dict[str, SendSlots] = {}
        # A message is marked sent before its send counts as done (and before the next claim,
        # which would otherwise find its chat still busy); acks that come together share a
        # transaction.
        self._acks = GroupCommit(queue.sent_many)

    def wake(self) -> None:
        self._wake.set()

    async def drain(self) -> int:
        """Send everything due now; returns how many messages went out."""
        if not self._took_back:
            taken = await asyncio.to_thread(self.queue.take_back, self.clock.now())
            self._took_back = True
            if taken:
                log.info("took back %d messages an earlier run was sending", taken)
        sent = 0
        # The queue's transactions run in worker threads: the event loop stays the channels'.
        while batch := await asyncio.to_thread(self.queue.claim, self.clock.now()):
            renewing = asyncio.create_task(self._renew([item.id for item in batch]))
            try:
                results = await asyncio.gather(*(self._deliver(item) for item in batch))
            finally:
                renewing.cancel()
            sent += sum(results)
            if not any(results):
                break
        return sent

    async def _renew(self, message_ids: list[int]) -> None:
        """Keep the batch's leases while its sends are in flight (settled ones drop out)."""
        while True:
            await asyncio.sleep(self.renew_s)
            try:
                await asyncio.to_thread(self.queue.renew, message_ids, self.clock.now())
            except Exception:  # the next renewal may get through before the lease ends
                log.exception("renewing the leases of %d messages failed", len(message_ids))

    async def _wake_channel(self, channel: str) -> None:
        now = self.clock.now()
        last = self._woke_channel.get(channel)
        if last is None or now - last >= WAKE_EVERY:
            self._woke_channel[channel] = now
            await asyncio.to_thread(self.queue.wake, channel, now)

    async def _deliver(self, item: Claimed) -> bool:
        message = item.message
        channel = self.channels.get(message.channel)
        if channel is None:
            await asyncio.to_thread(self.queue.dead, item.id, f"no channel {message.channel!r}")
            return False
        now = self.clock.now()
        try:
            if item.picture is not None:  # drawn now, in a thread, not when it was queued
                message = replace(message, image=await self.pictures.image(item.picture))
            image = None
            if message.image:
                image = await asyncio.to_thread(self.photos.read, message.image)
            attachment = await self._attachment(message)
            async with self._slots.setdefault(message.channel, SendSlots()).slot():
                external_id = await channel.send(message, image, attachment)
        except RetryLater as wait:
            after = wait.after_s
            if after is None:
                after = backoff_s(item.attempts, self.jitter())
            await asyncio.to_thread(self.queue.retry, item.id, now + timedelta(seconds=after),
                                    str(wait), count=wait.after_s is None)
            return False
        except Undeliverable as refused:
            log.warning("message %s undeliverable: %s", item.id, refused)
            await asyncio.to_thread(self.queue.dead, item.id, str(refused))
            return False
        except Exception as exc:
            log.exception("message %s failed", item.id)
            after = backoff_s(item.attempts, self.jitter())
            await asyncio.to_thread(self.queue.retry, item.id, now + timedelta(seconds=after),
                                    repr(exc))
            return False
        await self._acks.put(Sent(item.id, self.clock.now(), external_id))
        await self._wake_channel(message.channel)  # it is up again: no need to wait out the backoff
        return True

    async def _attachment(self, message: OutMessage) -> bytes | None:
        """The attached file's bytes; a file that is not kept will never be: undeliverable."""
        if message.attachment is None:
            return None
        if self.blobs is None:
            raise Undeliverable("no blob store to read attachments from")
        try:
            return await asyncio.to_thread(self.blobs.read, message.attachment.key)
        except (OSError, ValueError) as missing:
            raise Undeliverable(f"attachment {message.attachment.name!r}: {missing}") from missing

    async def run(self) -> None:
        while True:
            await self.drain()
            due = await asyncio.to_thread(self.queue.next_due_at)
            wait = self.idle_s
            if due is not None:
                wait = min(wait, max(0.05, (due - self.clock.now()).total_seconds()))
            with contextlib.suppress(TimeoutError):  # not wait_for: it can swallow a cancel
                async with asyncio.timeout(wait):
                    await self._wake.wait()
            self._wake.clear()

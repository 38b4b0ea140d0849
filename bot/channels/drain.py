"""Works through a channel's stored updates: each chat's in arrival order, chats side by side.

The adapter stored each update before the platform could consider it received; this
worker turns the stored updates into events (downloading photos on the way) and hands
them to the inlet. A row is marked done only after its event was handled, so a crash
in between loses nothing and the inbox makes the replay harmless. An update that
cannot be translated yet (its platform is down) keeps its place and its chat's later
updates wait behind it; other chats go on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_result,
    wait_exponential,
)

from bot.inlet import Inbound, Inlet, NotYet
from core.dialog import Incoming

log = logging.getLogger(__name__)

MAX_RETRY_S = 60.0
IDLE_S = 30.0
BATCH = 100


class Source(Protocol):
    """A channel's side of the drain: what chat a stored update belongs to, and its event."""

    channel: str

    def chat_of(self, payload: str) -> str:
        """The chat whose updates must keep their order ("" when the payload is unreadable)."""
        ...

    async def event_of(self, payload: str) -> Incoming | None:
        """The event for a stored update; None when there is nothing to act on;
        NotYet when it must wait."""
        ...


class Drain:
    """One per channel and process, woken whenever the adapter stored something."""

    def __init__(self, inlet: Inlet, source: Source) -> None:
        self.inlet, self.source = inlet, source
        self.waiting = False  # whether an update had to wait in the last drain
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Leftovers of an earlier run first, then whatever is stored, until cancelled."""
        while True:
            # Again and again until nothing waits: after 2 s, 4 s … a minute at most, or at
            # once when something new is stored. The database may be briefly away, too.
            await AsyncRetrying(
                sleep=self._pause, wait=wait_exponential(multiplier=2, max=MAX_RETRY_S),
                retry=retry_if_exception_type(Exception) | retry_if_result(bool),
                before_sleep=self._log_retry,
            )(self._something_waits)
            await self._pause(IDLE_S)

    async def _something_waits(self) -> bool:
        await self.drain()
        return self.waiting

    async def _pause(self, seconds: float) -> None:
        """Sleep, unless woken by a new update first."""
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that arrives
        # as the event fires, and a stop would then hang.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    def _log_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.log(logging.ERROR if error else logging.WARNING,
                "stored %s updates %s; trying again in %.0f s", self.source.channel,
                "failed" if error else "must wait", state.upcoming_sleep, exc_info=error)

    async def drain(self) -> int:
        """Handle what is stored; returns how many updates were done. Stops early when an
        update must wait, so that the waiting ones are tried again after a pause."""
        async with self._lock:
            done = 0
            self.waiting = False
            while rows := await self.inlet.pending(self.source.channel, BATCH):
                chats: dict[str, list[Inbound]] = {}
                for row in rows:
                    chats.setdefault(self.source.chat_of(row.payload), []).append(row)
                results = await asyncio.gather(*(self._chat(chat) for chat in chats.values()))
                done += sum(count for count, _ in results)
                if not all(finished for _, finished in results):
                    self.waiting = True
                    return done
            return done

    async def _chat(self, rows: list[Inbound]) -> tuple[int, bool]:
        """One chat's rows in order: (how many were done, whether all of them were)."""
        finished: list[int] = []
        complete = True
        for row in rows:
            try:
                event = await self.source.event_of(row.payload)
            except NotYet as wait:
                log.warning("a %s update must wait (%s)", self.source.channel, wait)
                complete = False
                break
            except Exception:  # a payload we cannot read would block its chat forever
                log.exception("dropping stored %s update %s", self.source.channel, row.id)
                event = None
            if event is not None:
                await self.inlet.handle(event)
            finished.append(row.id)
        if finished:
            await self.inlet.done(finished)
        return len(finished), complete

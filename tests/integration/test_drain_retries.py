"""The drain tries a stored update that must wait again with backoff, and at once when woken."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import pytest

from bot.channels.drain import Drain
from bot.inlet import Inbound, NotYet
from core.clock import SimClock
from core.dialog import EventKind, Incoming

CHANNEL = "fake"


class FakeInlet:
    """The inlet's queue side in memory: stored payloads, and the events handed in."""

    language = "en"
    max_photo_bytes = 1024

    def __init__(self) -> None:
        self.clock = SimClock(datetime(2026, 11, 29, tzinfo=UTC))
        self.rows: dict[int, str] = {}
        self.events: list[Incoming] = []
        self.got_one = asyncio.Event()

    def link_dm(self, channel: str, url: str) -> None: ...

    async def store(self, channel: str, payloads: Sequence[str]) -> None:
        for payload in payloads:
            self.rows[len(self.rows) + 1] = payload

    async def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        return [Inbound(i, channel, payload) for i, payload in sorted(self.rows.items())][:limit]

    async def done(self, inbound_ids: Sequence[int]) -> None:
        for row in inbound_ids:
            del self.rows[row]

    async def handled(self, channel: str, update_key: str) -> bool:
        return False

    async def knows(self, channel: str, sender: str) -> bool:
        return True

    async def handle(self, event: Incoming) -> None:
        self.events.append(event)
        self.got_one.set()

    def wake(self) -> None: ...


class FlakySource:
    """A platform that cannot be reached for the first `down_for` tries."""

    channel = CHANNEL

    def __init__(self, down_for: int) -> None:
        self.down_for, self.tries = down_for, 0

    def chat_of(self, payload: str) -> str:
        return "chat-1"

    async def event_of(self, payload: str) -> Incoming | None:
        self.tries += 1
        if self.tries <= self.down_for:
            raise NotYet("the platform is down")
        return Incoming(CHANNEL, "chat-1", "W01", EventKind.TEXT, text=payload)


@pytest.fixture
async def inlet() -> FakeInlet:
    stored = FakeInlet()
    await stored.store(CHANNEL, ["hello"])
    return stored


@contextlib.asynccontextmanager
async def running(drain: Drain) -> AsyncIterator[None]:
    task = asyncio.create_task(drain.run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def handled_within(inlet: FakeInlet, seconds: float) -> bool:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(inlet.got_one.wait(), seconds)
    return bool(inlet.events)


async def test_an_update_that_must_wait_is_tried_again_after_a_pause(inlet: FakeInlet) -> None:
    source = FlakySource(down_for=1)
    started = time.monotonic()
    async with running(Drain(inlet, source)):
        assert await handled_within(inlet, 3.0)
    assert 2.0 <= time.monotonic() - started < 3.0         # the first pause is 2 s
    assert [e.text for e in inlet.events] == ["hello"] and inlet.rows == {}


async def test_a_wake_cuts_the_pause_short(inlet: FakeInlet) -> None:
    source = FlakySource(down_for=1)
    drain = Drain(inlet, source)
    async with running(drain):
        await asyncio.sleep(0.1)
        assert source.tries == 1 and not inlet.events
        drain.wake()                                       # something new was stored
        assert await handled_within(inlet, 0.5)

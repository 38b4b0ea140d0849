"""Sends in flight per channel: as many as the measured call time calls for, no more."""

from __future__ import annotations

import asyncio

import pytest

from bot.send_slots import MAX_IN_FLIGHT, MIN_IN_FLIGHT, WANTED_PER_S, SendSlots


class Platform:
    """Calls that take `call_s` each; remembers how many were in flight at once."""

    def __init__(self, call_s: float) -> None:
        self.call_s = call_s
        self.in_flight = 0
        self.most = 0

    async def call(self, slots: SendSlots) -> None:
        async with slots.slot():
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            await asyncio.sleep(self.call_s)
            self.in_flight -= 1


async def test_a_fast_platform_gets_few_calls_at_once() -> None:
    slots, platform = SendSlots(), Platform(0.001)
    await asyncio.gather(*(platform.call(slots) for _ in range(40)))
    assert platform.most == MIN_IN_FLIGHT
    assert slots.busy == 0


async def test_a_slow_platform_gets_more_calls_at_once_up_to_the_most() -> None:
    slots, platform = SendSlots(), Platform(0.1)   # 4 at once for 40 a second
    await asyncio.gather(*(platform.call(slots) for _ in range(30)))
    assert slots.limit == pytest.approx(round(0.1 * WANTED_PER_S), abs=1)
    assert MIN_IN_FLIGHT < platform.most <= MAX_IN_FLIGHT
    slots.call_s = 10.0                              # a platform slower than any limit
    assert slots.limit == MAX_IN_FLIGHT


async def test_a_waiting_send_cancelled_after_its_turn_came_passes_the_turn_on() -> None:
    slots = SendSlots()
    release = asyncio.Event()

    async def hold() -> None:
        async with slots.slot():
            await release.wait()

    holders = [asyncio.create_task(hold()) for _ in range(MIN_IN_FLIGHT)]
    await asyncio.sleep(0.01)
    waiting = [asyncio.create_task(hold()) for _ in range(2)]
    await asyncio.sleep(0.01)
    holders[0].cancel()          # a slot frees: the first waiting send's turn comes ...
    await asyncio.sleep(0)
    waiting[0].cancel()          # ... and it is cancelled before it could run
    await asyncio.sleep(0.01)
    assert slots.busy == MIN_IN_FLIGHT             # the second waiting send took the slot
    release.set()
    await asyncio.gather(*holders, *waiting, return_exceptions=True)
    assert slots.busy == 0

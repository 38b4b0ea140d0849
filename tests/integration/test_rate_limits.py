"""The shared rate limiter (the `limits` library's moving window), in real time on small windows:
`limits` reads the wall clock and takes no other."""

from __future__ import annotations

import asyncio
import time

import pytest
from limits import RateLimitItemPerSecond
from pydantic import ValidationError

from bot.channels.ratelimit import RateLimiter, rates
from bot.settings import Settings


async def test_a_key_gets_no_more_than_its_limit_in_a_window_and_the_rest_after_it() -> None:
    limiter = RateLimiter(RateLimitItemPerSecond(3))
    assert [await limiter.take("chat-1") for _ in range(3)] == [0, 0, 0]
    wait = await limiter.take("chat-1")
    assert 0.9 <= wait <= 1.0
    assert await limiter.take("chat-2") == 0              # other keys have their own window
    await asyncio.sleep(wait)
    assert await limiter.take("chat-1") == 0


async def test_a_send_needs_room_in_every_window() -> None:
    limiter = RateLimiter(*rates("2/second;3 per 2 seconds"))
    assert [await limiter.take("u") for _ in range(2)] == [0, 0]
    await asyncio.sleep(await limiter.take("u"))          # the second's window is full
    assert await limiter.take("u") == 0                   # the third of the two seconds
    assert 0.9 <= await limiter.take("u") <= 1.0          # now the two seconds' window is full


async def test_acquire_waits_until_a_send_fits() -> None:
    limiter = RateLimiter(RateLimitItemPerSecond(5), margin_s=0.1)
    started = time.monotonic()
    for _ in range(6):
        await limiter.acquire("all")
    assert 1.1 <= time.monotonic() - started < 1.5         # the sixth waited out the window


async def test_more_parts_than_a_window_holds_wait_for_an_empty_window() -> None:
    limiter = RateLimiter(RateLimitItemPerSecond(2))
    assert await limiter.wait_s("u", 5) == 0              # an empty window takes them all
    await limiter.hit("u")
    assert await limiter.wait_s("u", 5) > 0
    assert await limiter.wait_s("u", 1) == 0


async def test_keys_whose_sends_left_the_window_are_forgotten() -> None:
    limiter = RateLimiter(RateLimitItemPerSecond(1))
    for chat in range(2000):
        await limiter.take(f"chat-{chat}")
    assert limiter.keys() == 2000
    await asyncio.sleep(1.05)
    for _ in range(100):  # the storage tidies up in a task of its own, started by later sends
        await limiter.take("one-more")
        if limiter.keys() == 1:
            break
        await asyncio.sleep(0.05)
    assert limiter.keys() == 1


def test_a_wecom_limit_that_cannot_be_read_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="wecom_user_rate_limit"):
        Settings.from_env({"WECOM_USER_RATE_LIMIT": "30 a minute"})
    settings = Settings.from_env({"WECOM_GROUP_RATE_LIMIT": "10/minute;100/hour"})
    assert [str(rate) for rate in rates(settings.wecom_group_rate_limit)] == [
        "10 per 1 minute", "100 per 1 hour"]

"""Telegram's flood limits kept on our side, through the real sender and PTB against the fake
Bot API, which answers 429 past the same limits. In real time: `limits` reads the wall clock."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from telegram import Bot

from bot.channels.base import RetryLater
from bot.channels.telegram.outbound import TelegramSender
from bot.channels.telegram.pacing import Pacer
from core.messages import OutMessage
from tests.fakes import FakeTelegram

TOKEN = "123:ABC"
GROUP = -1001000000077


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server
    assert server.errors == []


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as client:
        yield client


def sender(bot: Bot, pacer: Pacer) -> TelegramSender:
    channel = TelegramSender(pacer)
    channel.connect(bot, "en")
    return channel


def to(chat_id: int, text: str) -> OutMessage:
    return OutMessage("telegram", str(chat_id), text, group=chat_id < 0)


async def test_thirty_one_messages_to_as_many_chats_take_at_least_a_second(
    tg: FakeTelegram, bot: Bot,
) -> None:
    chats = [tg.private_chat(tg.user(100 + n, f"W{n}")) for n in range(31)]
    channel = sender(bot, Pacer(RateLimitItemPerSecond(30), RateLimitItemPerMinute(20)))
    started = time.monotonic()
    await asyncio.gather(*(channel.send(to(chat.id, "hi"), None) for chat in chats))
    assert time.monotonic() - started >= 1.0
    assert all(len(tg.sent(chat.id)) == 1 for chat in chats)
    # Kept under the fake's 429s: tests/e2e/test_telegram_delivery.py, at 5 a second.


async def test_a_group_over_its_budget_is_handed_back_and_goes_once_the_window_moves(
    tg: FakeTelegram, bot: Bot,
) -> None:
    tg.group(GROUP, "Mechanics")
    channel = sender(bot, Pacer(RateLimitItemPerSecond(30), RateLimitItemPerSecond(3)))
    for n in range(3):
        await channel.send(to(GROUP, f"n{n}"), None)
    with pytest.raises(RetryLater) as deferred:
        await channel.send(to(GROUP, "n3"), None)
    after = deferred.value.after_s
    assert after is not None and 0.9 <= after <= 2.1       # the window, plus a margin
    await asyncio.sleep(after)
    await channel.send(to(GROUP, "n3"), None)
    assert [m["text"] for m in tg.sent(GROUP)] == ["n0", "n1", "n2", "n3"]

"""A worker's photo is fetched from the fake Bot API with retries: transient failures are tried
again with backoff, a refusal is not, and after the last try the update waits (NotYet)."""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from telegram import Bot, Update

from bot.channels.telegram.inbound import DOWNLOAD_TRIES, message_event
from bot.inlet import NotYet
from core.dialog import Incoming
from tests.fakes import FakeTelegram

TOKEN = "123:ABC"
MAX_BYTES = 20 * 1024 * 1024


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server
    assert server.errors == []


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as client:
        yield client


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


async def photo_event(tg: FakeTelegram, bot: Bot, image: bytes) -> Incoming | None:
    user = tg.user(42, "王工")
    raw = tg.send_photo(user, tg.private_chat(user), image)
    update = Update.de_json(raw, bot)
    assert update.message is not None
    return await message_event(update.update_id, update.message, bot, max_bytes=MAX_BYTES)


async def test_a_download_that_fails_twice_arrives_on_the_third_try(
    tg: FakeTelegram, bot: Bot,
) -> None:
    image = jpeg()
    tg.fail_next("getFile", count=DOWNLOAD_TRIES - 1, status=502)
    started = time.monotonic()
    event = await photo_event(tg, bot, image)
    assert event is not None and event.attachment is not None
    assert event.attachment.data == image
    assert tg.calls.count("getFile") == DOWNLOAD_TRIES
    assert time.monotonic() - started >= 0.5 + 1.0         # backed off between the tries


async def test_a_download_gives_up_after_the_configured_tries_and_the_update_waits(
    tg: FakeTelegram, bot: Bot,
) -> None:
    tg.fail_next("getFile", count=DOWNLOAD_TRIES, status=502)
    with pytest.raises(NotYet):
        await photo_event(tg, bot, jpeg())
    assert tg.calls.count("getFile") == DOWNLOAD_TRIES


async def test_a_refused_download_is_not_tried_again(tg: FakeTelegram, bot: Bot) -> None:
    tg.fail_next("getFile", count=1, status=400, description="Bad Request: file is too big")
    event = await photo_event(tg, bot, jpeg())
    assert event is not None and event.attachment is None   # the handlers ask again
    assert tg.calls.count("getFile") == 1

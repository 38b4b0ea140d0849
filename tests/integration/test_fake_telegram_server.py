"""The fake Telegram server speaks the Bot API well enough for the real python-telegram-bot."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import io
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes import FakeTelegram, LocalAsgiServer

TOKEN = "123:ABC"


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods: the int form warns, and warnings are errors here."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        yield server
    assert server.errors == []  # tracebacks of bugs inside the fake itself


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as client:
        yield client


@contextlib.asynccontextmanager
async def polling_app(
    tg: FakeTelegram, *handlers: BaseHandler[Any, Any, Any]
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """A PTB Application long-polling the fake, started and stopped by hand."""
    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .job_queue(None)
        .build()
    )
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def png(width: int = 640, height: int = 480) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_the_server_starts_and_stops_in_well_under_half_a_second() -> None:
    started = time.perf_counter()
    async with FakeTelegram(token=TOKEN) as server:
        assert server.root.startswith("http://127.0.0.1:")
    assert time.perf_counter() - started < 0.5


async def test_get_me_returns_the_bot_user(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot
    assert me.username == "safetyloop_bot"
    assert me.id == 123


async def test_a_message_with_an_inline_keyboard_is_recorded(tg: FakeTelegram, bot: Bot) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("确认", callback_data="ack:1")]])
    sent = await bot.send_message(chat.id, "<b>隐患</b> 已登记", parse_mode="HTML",
                                  reply_markup=keyboard)  # fmt: skip
    second = await bot.send_message(chat.id, "第二条")
    recorded = tg.last(chat.id)
    assert recorded is not None
    assert [m["text"] for m in tg.sent(chat.id)] == ["隐患 已登记", "第二条"]
    first = tg.sent(chat.id)[0]
    assert first["raw_text"] == "<b>隐患</b> 已登记"
    assert first["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "ack:1"
    assert sent.reply_markup == keyboard
    assert second.message_id == sent.message_id + 1
    assert abs(sent.date.timestamp() - time.time()) < 5
    assert tg.calls[-2:] == ["sendMessage", "sendMessage"]


async def test_a_reply_keyboard_asking_for_the_contact_is_recorded_but_not_echoed(
    tg: FakeTelegram, bot: Bot
) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    keyboard = ReplyKeyboardMarkup([[KeyboardButton("分享手机号", request_contact=True)]])
    sent = await bot.send_message(chat.id, "请分享手机号", reply_markup=keyboard)
    assert sent.reply_markup is None  # Telegram only echoes inline keyboards
    recorded = tg.last(chat.id)
    assert recorded is not None
    assert recorded["reply_markup"]["keyboard"][0][0]["request_contact"] is True


async def test_invalid_html_is_rejected_like_telegram_does(tg: FakeTelegram, bot: Bot) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat.id, "温度 < 40 <b>正常", parse_mode="HTML")


async def test_an_injected_text_update_reaches_a_message_handler(tg: FakeTelegram) -> None:
    user = tg.user(42, "王工", username="wang")
    chat = tg.private_chat(user)
    received: list[Update] = []

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        received.append(update)
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"收到：{update.effective_message.text}")

    async with polling_app(tg, MessageHandler(filters.TEXT & ~filters.COMMAND, echo)):
        tg.send_text(user, chat, "三号车间漏油")
        replies = await tg.wait_for_messages(chat.id, 1)
    assert replies[0]["text"] == "收到：三号车间漏油"
    message = received[0].message
    assert message is not None and message.from_user is not None
    assert message.from_user.language_code == "zh-hans"
    assert message.date.tzinfo is not None
    assert tg.pending_updates == []


async def test_a_command_addressed_to_the_bot_in_a_group_reaches_a_command_handler(
    tg: FakeTelegram,
) -> None:
    user = tg.user(42, "王工")
    group = tg.group(-1001234567890, "安全群")
    assert group.type == "supergroup"

    async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, f"report {context.args}")

    async with polling_app(tg, CommandHandler("report", report)):
        tg.send_text(user, group, "/report@safetyloop_bot 漏油")
        replies = await tg.wait_for_messages(group.id, 1)
    assert replies[0]["text"] == "report ['漏油']"


async def test_a_button_press_reaches_a_callback_handler_and_can_be_answered(
    tg: FakeTelegram,
) -> None:
    user = tg.user(42, "王工")
    chat = tg.private_chat(user)

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer("已确认")
        await query.edit_message_text(f"已确认：{query.data}")

    async with polling_app(tg, CallbackQueryHandler(on_press)) as app:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("确认", callback_data="ack:7")]])
        await app.bot.send_message(chat.id, "请确认", reply_markup=keyboard)
        message = tg.last(chat.id)
        assert message is not None
        tg.press(user, message, "ack:7")
        await tg.wait_for(lambda: tg.edits, what="the edit")
    assert tg.answered_callbacks[0]["text"] == "已确认"
    edited = tg.last(chat.id)
    assert edited is not None
    assert edited["text"] == "已确认：ack:7"
    assert edited["reply_markup"] is None  # an edit without reply_markup drops the keyboard
    assert "edit_date" in edited


async def test_editing_to_the_same_content_is_refused_as_not_modified(
    tg: FakeTelegram, bot: Bot
) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    sent = await bot.send_message(chat.id, "状态：待处理")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("状态：待处理", chat_id=chat.id, message_id=sent.message_id)


async def test_a_user_photo_downloads_with_get_file_as_the_original_bytes(
    tg: FakeTelegram, bot: Bot
) -> None:
    user = tg.user(42, "王工")
    chat = tg.private_chat(user)
    image = png()
    raw = tg.send_photo(user, chat, image, caption="漏油")
    update = Update.de_json(raw, bot)
    assert update.message is not None
    sizes = update.message.photo
    assert 2 <= len(sizes) <= 3
    assert len({s.file_id for s in sizes}) == len({s.file_unique_id for s in sizes}) == len(sizes)
    assert (sizes[-1].width, sizes[-1].height) == (640, 480)
    file = await sizes[-1].get_file()
    assert file.file_size == len(image)
    assert bytes(await file.download_as_bytearray()) == image


async def test_an_uploaded_photo_is_stored_with_its_bytes(tg: FakeTelegram, bot: Bot) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    image = png(1600, 1200)
    sent = await bot.send_photo(chat.id, photo=image, caption="整改后照片")
    recorded = tg.last(chat.id)
    assert recorded is not None
    assert recorded["file_bytes"] == image
    assert recorded["caption"] == "整改后照片"
    assert sent.photo[-1].width == 1600
    assert tg.file_bytes(sent.photo[-1].file_id) == image
    document = await bot.send_document(chat.id, document=b"%PDF-1.4 report", filename="r.pdf")
    assert document.document is not None and document.document.file_name == "r.pdf"
    assert tg.file_bytes(document.document.file_id) == b"%PDF-1.4 report"


async def test_a_429_surfaces_as_retry_after_with_the_delay(tg: FakeTelegram, bot: Bot) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    tg.fail_next("sendMessage", 1, status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat.id, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(chat.id, "hi again")
    assert [m["text"] for m in tg.sent(chat.id)] == ["hi again"]


async def test_the_rate_limiter_answers_429_after_twenty_messages_a_minute_to_a_group(
    tg: FakeTelegram, bot: Bot
) -> None:
    group = tg.group(-1001234567890, "安全群")
    tg.enable_rate_limit(per_group_per_minute=20)
    for number in range(20):
        await bot.send_message(group.id, f"#{number}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(group.id, "one too many")
    delay = caught.value.retry_after
    assert isinstance(delay, dtm.timedelta)  # PTB_TIMEDELTA=true
    assert dtm.timedelta(seconds=1) <= delay <= dtm.timedelta(seconds=60)


async def test_an_outage_raises_network_error_and_recovery_works_again(
    tg: FakeTelegram, bot: Bot
) -> None:
    tg.down()
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.get_me()
    tg.up()
    assert (await bot.get_me()).username == "safetyloop_bot"


async def test_unknown_methods_answer_404_and_wrong_tokens_look_like_invalid_tokens(
    tg: FakeTelegram, bot: Bot
) -> None:
    # An initialised Bot turns the 404 into EndPointNotFound; otherwise PTB says InvalidToken.
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    stranger = Bot("999:WRONG", base_url=tg.base_url)
    with pytest.raises(InvalidToken):
        await stranger.initialize()  # initialize() calls getMe, which answers 401
    await stranger.shutdown()


async def test_the_same_update_injected_twice_arrives_twice(tg: FakeTelegram) -> None:
    user = tg.user(42, "王工")
    chat = tg.private_chat(user)
    seen: list[int] = []

    async def record(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(update.update_id)

    async with polling_app(tg, MessageHandler(filters.ALL, record)):
        update = tg.send_text(user, chat, "重复")
        await tg.wait_for(lambda: seen, what="the first delivery")
        tg.inject_raw(update)
        tg.send_text(user, chat, "之后")
        await tg.wait_for(lambda: len(seen) == 3, what="three deliveries")
    assert seen[0] == seen[1] == update["update_id"]
    assert seen[2] > seen[0]


async def test_long_polling_returns_as_soon_as_an_update_is_queued(tg: FakeTelegram) -> None:
    user = tg.user(42, "王工")
    chat = tg.private_chat(user)
    async with httpx.AsyncClient(base_url=f"{tg.base_url}{TOKEN}") as client:
        poll = asyncio.create_task(client.post("/getUpdates", json={"timeout": 30}))
        await tg.wait_for(lambda: "getUpdates" in tg.calls, what="the poll")
        started = time.perf_counter()
        update = tg.send_text(user, chat, "hello")
        answer = (await poll).json()
        assert time.perf_counter() - started < 1
        assert answer == {"ok": True, "result": [update]}
        confirm = await client.get("/getUpdates", params={"offset": update["update_id"] + 1})
        assert confirm.json() == {"ok": True, "result": []}


async def test_json_form_and_query_parameters_are_all_accepted(tg: FakeTelegram) -> None:
    chat = tg.private_chat(tg.user(42, "王工"))
    async with httpx.AsyncClient(base_url=f"{tg.base_url}{TOKEN}") as client:
        by_json = await client.post("/sendMessage", json={"chat_id": chat.id, "text": "1"})
        by_form = await client.post("/sendmessage", data={"chat_id": str(chat.id), "text": "2"})
        by_query = await client.get("/sendMessage", params={"chat_id": chat.id, "text": "3"})
        unknown = await client.post("/frobnicate")
    assert [r.json()["ok"] for r in (by_json, by_form, by_query)] == [True, True, True]
    assert [m["text"] for m in tg.sent(chat.id)] == ["1", "2", "3"]
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_commands_are_stored_per_language(tg: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("report", "上报隐患")], language_code="zh")
    await bot.set_my_commands([("report", "Report a hazard")])
    assert (await bot.get_my_commands(language_code="zh"))[0].description == "上报隐患"
    assert (await bot.get_my_commands())[0].description == "Report a hazard"
    assert tg.commands_for(language_code="zh") == [{"command": "report", "description": "上报隐患"}]


async def test_own_contacts_and_forwarded_locations_parse_in_ptb(
    tg: FakeTelegram, bot: Bot
) -> None:
    user = tg.user(42, "王工")
    other = tg.user(43, "李工")
    chat = tg.private_chat(user)
    contact = Update.de_json(tg.send_contact(user, chat, "+8613800000000"), bot)
    assert contact.message is not None and contact.message.contact is not None
    assert contact.message.contact.user_id == user.id
    located = Update.de_json(tg.forward_location(user, chat, 31.2, 121.5, origin_user=other), bot)
    assert located.message is not None and located.message.location is not None
    assert located.message.location.latitude == 31.2
    assert located.message.forward_origin is not None
    assert located.message.forward_origin.type == "user"


async def test_updates_are_posted_to_a_webhook_with_the_secret_header(tg: FakeTelegram) -> None:
    received: list[tuple[str | None, bytes]] = []

    async def webhook(request: Request) -> Response:
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        received.append((secret, await request.body()))
        return Response(status_code=200)

    receiver = Starlette(routes=[Route("/tg", webhook, methods=["POST"])])
    user = tg.user(42, "王工")
    update = tg.send_text(user, tg.private_chat(user), "hi")
    async with LocalAsgiServer(receiver) as server:
        response = await tg.post_to_webhook(f"{server.root}/tg", update, "s3cret")
    assert response.status_code == 200
    assert received[0][0] == "s3cret"
    assert b'"update_id"' in received[0][1]

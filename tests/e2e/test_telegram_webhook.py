"""Webhook mode, `safetyloop run` picking Telegram up, and what the adapter makes of odd updates."""

from __future__ import annotations

from pathlib import Path

from telegram import Bot, Update

from bot.channels.telegram.inbound import message_event
from bot.channels.telegram.service import TelegramPlugin
from bot.process import configured_plugins
from bot.settings import Settings
from bot.web import build_web
from core.dialog import EventKind, Incoming
from handlers.i18n import t
from tests.e2e.telegram_harness import ON_SITE, TOKEN, running
from tests.fakes import FakeTelegram, LocalAsgiServer

HOOK = "http://127.0.0.1/telegram/hook"


async def test_webhook_updates_need_the_secret_and_act_once(tmp_path: Path) -> None:
    async with running(tmp_path, telegram_webhook_url=HOOK) as h:
        tg = h.tg
        secret = tg.webhook["secret_token"]
        user, chat = h.dm("W01")
        update = tg.send_text(user, chat, "/points")
        async with LocalAsgiServer(build_web(h.plugin.routes)) as web:
            url = f"{web.root}/telegram/hook"
            forged = await tg.post_to_webhook(url, update, "not-the-secret")
            bare = await tg.post_to_webhook(url, update)
            first = await tg.post_to_webhook(url, update, secret)
            replayed = await tg.post_to_webhook(url, update, secret)
            await h.reply(chat, 1)
            junk = await tg.post_to_webhook(url, [1, 2], secret)  # type: ignore[arg-type]
        polled = "getUpdates" in tg.calls
    assert tg.webhook["url"] == HOOK and secret
    assert (forged.status_code, bare.status_code) == (403, 403)
    assert (first.status_code, replayed.status_code, junk.status_code) == (200, 200, 400)
    assert h.texts(chat) == [t("zh-CN", "points.balance", balance=0)]
    assert not polled


def test_safetyloop_run_serves_telegram_when_a_token_is_set(tmp_path: Path) -> None:
    without = Settings(data_dir=tmp_path)
    with_token = Settings(data_dir=tmp_path, telegram_bot_token=TOKEN)
    assert not [p for p in configured_plugins(without) if isinstance(p, TelegramPlugin)]
    assert [p for p in configured_plugins(with_token) if isinstance(p, TelegramPlugin)]


async def test_forwarded_live_and_foreign_messages_translate_faithfully() -> None:
    async with FakeTelegram(token=TOKEN) as tg, Bot(
        TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url
    ) as bot:
        user, other = tg.user(42, "王工"), tg.user(43, "李工")
        chat = tg.private_chat(user)

        async def event(raw: dict[str, object]) -> Incoming:
            update = Update.de_json(raw, bot)
            assert update.message is not None
            made = await message_event(update.update_id, update.message, bot, max_bytes=1 << 20)
            assert made is not None
            return made

        forwarded = await event(tg.forward_location(user, chat, *ON_SITE, origin_user=other))
        live = await event(tg.send_location(user, chat, *ON_SITE, 20.0, live_period=600))
        card = await event(tg.send_contact(user, chat, "13800000001", own=False))
        own = await event(tg.send_contact(user, chat, "+8613800000016"))
        sticker = await event(tg.inject_raw({"message": {
            "message_id": 99, "date": tg.now(), "chat": chat.to_dict(), "from": user.to_dict(),
            "sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
                        "height": 1, "is_animated": False, "is_video": False}}}))
    assert forwarded.forwarded and forwarded.kind is EventKind.LOCATION
    assert live.location.accuracy_m == 20.0 and not live.forwarded
    assert card.kind is EventKind.OTHER and card.phone == ""
    assert own.kind is EventKind.CONTACT and own.phone == "+8613800000016"
    assert sticker.kind is EventKind.OTHER

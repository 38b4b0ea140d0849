"""The real app and the real PTB client against the fake Bot API, for Telegram end-to-end tests.

`running(tmp_path, mount=...)` serves Telegram the built-in way ("builtin": SafetyLoop's own
polling) or mounted in a plant's own bot ("ptb", "aiogram": see tests/e2e/telegram_hosts.py);
the conversations and their assertions are the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image
from sqlmodel import Session, select

from bot.app import App, build_app
from bot.channels import telegram
from bot.channels.telegram.service import TelegramPlugin
from bot.settings import Settings
from core.plant import Plant
from integrations.mount import stop_tasks
from storage.tables import OutboxRow, TicketRow
from tests.databases import new_database, plant_from
from tests.e2e.telegram_hosts import HostBot, aiogram_host, ptb_host
from tests.fakes import FakeChat, FakeTelegram, FakeUser

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123:ABC"
MECH_GROUP = -1001000000002
# By checkpoint CP-MACH-1 (机加工车间), where CNC-07 stands.
ON_SITE = (31.3172, 120.7208)
JSON = dict[str, Any]
# SafetyLoop's own polling, and SafetyLoop mounted in a PTB and in an aiogram host bot.
MOUNTS = ("builtin", "ptb", "aiogram")


def jpeg(color: tuple[int, int, int] = (200, 40, 40), *, gps: bool = False) -> bytes:
    """A small photo; with `gps`, EXIF puts it on site as a phone camera would."""
    exif = Image.Exif()
    if gps:
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef], info[ExifTags.GPS.GPSLatitude] = "N", (31, 19, 1.92)
        info[ExifTags.GPS.GPSLongitudeRef], info[ExifTags.GPS.GPSLongitude] = "E", (120, 43, 14.88)
    out = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(out, "JPEG", exif=exif)
    return out.getvalue()


def buttons(message: JSON) -> list[str]:
    """Callback data of a message's inline buttons, row by row."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
            if "callback_data" in b]


@dataclass
class Harness:
    tg: FakeTelegram
    app: App
    plugin: TelegramPlugin | None  # the built-in channel; None when mounted in a host bot
    host: HostBot | None = None  # the host bot SafetyLoop is mounted in

    def user(self, person: str, language_code: str = "zh-hans") -> FakeUser:
        found = self.app.services.plant.person(person)
        assert found is not None and "telegram" in found.accounts
        return self.tg.user(int(found.accounts["telegram"]), found.name,
                            language_code=language_code)

    def dm(self, person: str) -> tuple[FakeUser, FakeChat]:
        user = self.user(person)
        return user, self.tg.private_chat(user)

    def texts(self, chat: FakeChat | int) -> list[str]:
        chat_id = chat if isinstance(chat, int) else chat.id
        return [m.get("text") or m.get("caption") or "" for m in self.tg.sent(chat_id)]

    async def reply(self, chat: FakeChat | int, n: int) -> JSON:
        """Wait for the chat's n-th bot message (1-based) and return it."""
        chat_id = chat if isinstance(chat, int) else chat.id
        return (await self.tg.wait_for_messages(chat_id, n))[n - 1]

    async def said(self, chat: FakeChat | int, fragment: str) -> JSON:
        """Wait until a bot message to the chat contains `fragment`; return the newest such."""
        chat_id = chat if isinstance(chat, int) else chat.id

        def found() -> JSON | None:
            return next((m for m in reversed(self.tg.sent(chat_id))
                         if fragment in (m.get("text") or m.get("caption") or "")), None)

        return await self.tg.wait_for(found, what=f"{fragment!r} in chat {chat_id}")

    async def keyboard(self, chat: FakeChat | int, count: int) -> JSON:
        """Wait for at least `count` bot messages; the newest of them that has inline buttons."""
        chat_id = chat if isinstance(chat, int) else chat.id
        messages = await self.tg.wait_for_messages(chat_id, count)
        return next(m for m in reversed(messages) if buttons(m))

    def press(self, user: FakeUser, message: JSON, n: int = 1) -> JSON:
        """Press the n-th (1-based) inline button of a message."""
        return self.tg.press(user, message, buttons(message)[n - 1])

    def tickets(self) -> list[TicketRow]:
        with Session(self.app.engine) as session:
            return list(session.exec(select(TicketRow)))

    def outbox(self) -> list[OutboxRow]:
        with Session(self.app.engine) as session:
            return list(session.exec(select(OutboxRow)))


async def report_in_dm(h: Harness, person: str = "W01") -> str:
    """Tell a whole report from the DM, as a person would with the Telegram app; its code."""
    tg = h.tg
    user, chat = h.dm(person)
    tg.send_text(user, chat, "/report")
    await h.said(chat, "📷")
    tg.send_photo(user, chat, jpeg())
    h.press(user, await h.keyboard(chat, 2))                   # photos done
    await h.said(chat, "📍")
    tg.send_location(user, chat, *ON_SITE, horizontal_accuracy=12.0)
    await h.said(chat, "🔧")
    tg.send_text(user, chat, "CNC-07")
    await h.said(chat, "✍️")
    tg.send_text(user, chat, "主轴防护罩破损，铁屑飞溅")
    h.press(user, await h.keyboard(chat, 7), 2)                # category: mechanical
    h.press(user, await h.keyboard(chat, 8), 2)                # urgency: serious
    h.press(user, await h.keyboard(chat, 9), 1)                # submit
    submitted = await h.said(chat, "HZ-")
    found = re.search(r"HZ-\d{6}-\d{4}", submitted["text"])
    assert found is not None
    return found.group()


def settings_for(tmp_path: Path, tg: FakeTelegram, **extra: Any) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/t.db", data_dir=tmp_path,
        plant_file=ROOT / "config" / "demo-plant.yaml", telegram_bot_token=TOKEN,
        telegram_api_base_url=tg.root, telegram_poll_timeout_s=2.0, **extra,
    )


@contextlib.asynccontextmanager
async def running(
    tmp_path: Path, mount: str = "builtin", *, commands: Collection[str] | None = None,
    **extra: Any,
) -> AsyncIterator[Harness]:
    """The fake server and SafetyLoop serving it, built in or `mount`ed in a host bot
    (with `commands`: the commands the host hands to SafetyLoop, if not the default)."""
    assert mount in MOUNTS, mount
    async with FakeTelegram(token=TOKEN) as tg:
        settings = settings_for(tmp_path, tg, **extra)
        new_database(tmp_path / "t.db")
        plant = plant_from(settings.plant_file)
        serving = (builtin(tg, settings, plant) if mount == "builtin"
                   else mounted(mount, tg, settings, plant, commands))
        async with serving as harness:
            app = harness.app
            # Everyone has opened a chat with the bot, and the bot is in the team groups.
            for person in app.services.plant.people:
                if "telegram" in person.accounts:
                    harness.dm(person.id)
            for team in app.services.plant.teams:
                if "telegram" in team.chats:
                    tg.group(int(team.chats["telegram"]), team.name)
            yield harness
        assert tg.errors == [], tg.errors


@contextlib.asynccontextmanager
async def builtin(tg: FakeTelegram, settings: Settings, plant: Plant) -> AsyncIterator[Harness]:
    """The app with its delivery worker, and the Telegram plugin connected."""
    plugin = telegram.plugin(settings)
    assert plugin is not None
    app = build_app(settings, channels={"telegram": plugin.channel}, plant=plant)
    worker = asyncio.create_task(app.worker.run())
    try:
        await plugin.start(app.inlet)
        await plugin.wait_ready()
        yield Harness(tg, app, plugin)
    finally:
        await plugin.stop()
        await stop_tasks([worker])
        app.engine.dispose()


@contextlib.asynccontextmanager
async def mounted(
    mount: str, tg: FakeTelegram, settings: Settings, plant: Plant,
    commands: Collection[str] | None,
) -> AsyncIterator[Harness]:
    """A host bot of the kind `mount` with SafetyLoop mounted in it, polling the fake server."""
    options: dict[str, Any] = {"plant": plant}
    if commands is not None:
        options["commands"] = commands
    if mount == "ptb":
        from integrations import ptb

        safety: Any = ptb.SafetyLoop(settings, **options)
        host = ptb_host(tg, safety)
    else:
        from integrations import aiogram

        safety = aiogram.SafetyLoop(settings, **options)
        host = aiogram_host(tg, safety)
    async with host as bot:
        yield Harness(tg, safety.app, None, bot)

"""SafetyLoop inside a host's Telegram bot: what the aiogram and PTB mounts share.

The host owns the bot, its polling or webhook and its own commands. A mount keeps each
update that is SafetyLoop's (`integrations.claims`) in the inbound queue before the host's
handler returns, and handles it from there exactly as the built-in channel does: the same
drain, translation, handlers and outbox. Replies go out through SafetyLoop's delivery
worker, with the built-in channel's sender on a client of the host bot's token and API
server. The timed sweeps (escalations, reminders) run in the host's event loop too.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.app import App, ChatLocks, build_app
from bot.channels import CHANNELS, telegram
from bot.channels.base import Channel
from bot.channels.drain import Drain
from bot.channels.telegram.connection import MENU, redact_token_in_logs
from bot.channels.telegram.inbound import CHANNEL
from bot.channels.telegram.outbound import TelegramSender
from bot.channels.telegram.source import TelegramSource, chat_of
from bot.inlet import Inbound, Inlet, text
from bot.process import sweep_off_loop
from bot.send_slots import MAX_IN_FLIGHT
from bot.settings import Settings
from core.dialog import ChatKey, Incoming
from core.plant import Plant
from core.ports import Clock
from integrations.claims import DEFAULT_COMMANDS, JSON, Claims, InFlight
from storage.tables import InviteRow

log = logging.getLogger(__name__)

START_WAIT_S = 10.0
MEDIA_WRITE_TIMEOUT_S = 60.0
# The sends the delivery worker may have in flight, and as many again for the drain's
# downloads and button answers: PTB's default of one connection queued them all behind
# each other, and a queued call gives up after a second (PoolTimeout).
CONNECTIONS = 2 * MAX_IN_FLIGHT


@dataclass(frozen=True)
class BotApi:
    """Where the host's bot talks to: its token and the API server's URL templates, as
    python-telegram-bot takes them (`{token}` stands for the token)."""

    token: str = field(repr=False)
    base_url: str = "https://api.telegram.org/bot{token}"
    base_file_url: str = "https://api.telegram.org/file/bot{token}"


class TrackedInlet:
    """The inlet as the drain sees it, counting a chat's queued updates off as they are done."""

    def __init__(self, inlet: Inlet, in_flight: InFlight) -> None:
        self._inlet, self._in_flight = inlet, in_flight

    @property
    def language(self) -> str:
        return self._inlet.language

    @property
    def clock(self) -> Clock:
        return self._inlet.clock

    @property
    def max_photo_bytes(self) -> int:
        return self._inlet.max_photo_bytes

    def link_dm(self, channel: str, url: str) -> None:
        self._inlet.link_dm(channel, url)

    async def store(self, channel: str, payloads: Sequence[str]) -> None:
        await self._inlet.store(channel, payloads)

    async def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        rows = await self._inlet.pending(channel, limit)
        self._in_flight.seen(rows, lambda payload: chat_of(json.loads(payload)))
        return rows

    async def done(self, inbound_ids: Sequence[int]) -> None:
        await self._inlet.done(inbound_ids)
        self._in_flight.done(inbound_ids)

    async def handled(self, channel: str, update_key: str) -> bool:
        return await self._inlet.handled(channel, update_key)

    async def knows(self, channel: str, sender: str) -> bool:
        return await self._inlet.knows(channel, sender)

    async def handle(self, event: Incoming) -> None:
        await self._inlet.handle(event)

    def wake(self) -> None:
        self._inlet.wake()


@dataclass
class Running:
    app: App
    bot: Bot
    sender: TelegramSender
    drain: Drain
    claims: Claims
    scheduler: AsyncIOScheduler
    tasks: list[asyncio.Task[None]]


class Mount:
    """SafetyLoop's part of a host bot: started with the host's bot, fed the host's updates.

    `settings` give the plant file, the database URL and the data directory (by default
    read from the environment, as `safetyloop run` reads them); the token and the API
    server come from the host's bot. `commands` are those SafetyLoop answers in any chat.
    """

    def __init__(
        self, settings: Settings | None = None, *, commands: Collection[str] = DEFAULT_COMMANDS,
        plant: Plant | None = None, clock: Clock | None = None, proxy_url: str | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings.from_env(os.environ)
        self.commands = frozenset(commands)
        self._plant, self._clock, self._proxy_url = plant, clock, proxy_url
        self.in_flight = InFlight()
        self._chats = ChatLocks()
        self._running: Running | None = None
        self._started = asyncio.Event()

    @property
    def app(self) -> App:
        if self._running is None:
            raise RuntimeError("SafetyLoop is not started: start it with the host's bot")
        return self._running.app

    def menu(self, lang: str) -> list[tuple[str, str]]:
        """SafetyLoop's commands with their descriptions, for the host's own command menu."""
        return [(name, text(lang, f"telegram.command.{name}")) for name in MENU
                if name in self.commands]

    async def wait_started(self) -> None:
        await self._started.wait()

    async def start_with(self, api: BotApi) -> None:
        """Connect to the host bot's API server and start the drain, sender and sweeps."""
        if self._running is not None:
            return
        settings = self.settings.model_copy(update={
            "telegram_bot_token": SecretStr(api.token), "telegram_webhook_url": None})
        plugin = telegram.plugin(settings)
        assert plugin is not None
        redact_token_in_logs(api.token)
        proxy = self._proxy_url or (settings.telegram_proxy_url.get_secret_value()
                                    if settings.telegram_proxy_url else None)
        bot = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url,
                  request=HTTPXRequest(proxy=proxy, media_write_timeout=MEDIA_WRITE_TIMEOUT_S,
                                       connection_pool_size=CONNECTIONS))
        await bot.initialize()  # getMe: the username that addresses commands, the DM link
        channels = {CHANNEL: plugin.channel, **outbound_senders(settings)}
        try:
            app = await asyncio.to_thread(build_app, settings, channels=channels,
                                          plant=self._plant, clock=self._clock)
        except BaseException:  # a bad plant file, an unreachable database: say so, leak nothing
            await bot.shutdown()
            raise
        sender = plugin.channel
        app.inlet.link_dm(CHANNEL, bot.link)
        sender.connect(bot, app.inlet.language)
        drain = Drain(TrackedInlet(app.inlet, self.in_flight), TelegramSource(app.inlet, bot))
        claims = Claims(
            username=bot.username, commands=self.commands, in_flight=self.in_flight,
            conversation=lambda chat, who: asyncio.to_thread(_converses, app, chat, who),
            invite=lambda token: asyncio.to_thread(_is_invite, app.engine, token),
            asked_for_phone=lambda chat: sender.asks_for_contact(int(chat)),
        )
        await sweep_off_loop(app)  # what fell due while the host was down
        scheduler = AsyncIOScheduler()
        scheduler.add_job(sweep_off_loop, "interval", seconds=settings.sweep_interval_s,
                          args=[app], max_instances=1, coalesce=True)
        scheduler.start()
        tasks = [asyncio.create_task(app.worker.run(), name="safetyloop-delivery"),
                 asyncio.create_task(drain.run(), name="safetyloop-telegram-drain")]
        self._running = Running(app, bot, sender, drain, claims, scheduler, tasks)
        self._started.set()
        log.info("SafetyLoop mounted on @%s", bot.username)

    async def stop(self) -> None:
        """Stop the drain, sender and sweeps; what is queued is handled at the next start."""
        running, self._running = self._running, None
        self._started.clear()
        if running is None:
            return
        running.scheduler.shutdown(wait=False)
        await stop_tasks(running.tasks)
        running.sender.disconnect()
        await running.bot.shutdown()
        running.app.engine.dispose()

    async def offer(self, update: JSON) -> bool:
        """Keep the update for SafetyLoop when it is SafetyLoop's; False leaves it to the host.

        Returns once the update is in the inbound queue, so the host may then confirm it.
        """
        running = self._running
        if running is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._started.wait(), START_WAIT_S)
            running = self._running
            if running is None:
                log.warning("SafetyLoop is not started: update %s left to the host",
                            update.get("update_id"))
                return False
        chat = chat_of(update)
        # One chat's updates are decided and kept in the order they came, even when the host
        # handles updates concurrently (aiogram does): a photo right after /report stays after it.
        async with self._chats.hold(chat):
            if not await running.claims.wanted(update):
                return False
            await running.app.inlet.store(CHANNEL, [json.dumps(update)])
            self.in_flight.add(chat)
        running.drain.wake()
        return True


async def stop_tasks(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel tasks and wait for them, cancelling again while one lives on: in Python 3.11
    `asyncio.wait_for` returns normally, swallowing the cancellation, when its awaitable
    completes at the moment it is cancelled (a wake-up racing a stop)."""
    alive = {task for task in tasks if not task.done()}
    while alive:
        for task in alive:
            task.cancel()
        _, alive = await asyncio.wait(alive, timeout=0.5)


def outbound_senders(settings: Settings) -> dict[str, Channel]:
    """The configured channels that only send (e-mail when SMTP_HOST is set): escalations
    reach them from inside the host bot too."""
    channels: dict[str, Channel] = {}
    for name in CHANNELS:
        sender = getattr(importlib.import_module(f"bot.channels.{name}"), "sender", None)
        if name != CHANNEL and sender is not None and (made := sender(settings)) is not None:
            channels[name] = made
    return channels


def _converses(app: App, chat: str, sender: str) -> bool:
    with app.services.uow() as uow:
        return uow.conversations.get(ChatKey(CHANNEL, chat, sender)) is not None


def _is_invite(engine: Engine, token: str) -> bool:
    if not 8 <= len(token) <= 64:
        return False
    with Session(engine) as session:
        return session.get(InviteRow, token) is not None


def bot_api(token: str, base_url: str, base_file_url: str) -> BotApi:
    """A BotApi from URLs that may carry the token itself (python-telegram-bot's do)."""
    return BotApi(token, base_url.replace(token, "{token}"),
                  base_file_url.replace(token, "{token}"))

"""Telegram through python-telegram-bot: PTB is the transport, the handlers do the rest.

One catch-all handler for new messages and one for button presses turn updates into
neutral events; the outbox's delivery worker sends replies through `TelegramSender`.
Long polling by default; with TELEGRAM_WEBHOOK_URL set, Telegram posts updates to a
route of the process's web app, which checks Telegram's secret-token header.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram_inbound import CHANNEL, button_event, message_event
from bot.channels.telegram_outbound import TelegramSender
from bot.channels.telegram_pacing import Pacer
from bot.settings import Settings
from handlers.i18n import CATALOGS, t

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
MENU = ("report", "my", "status", "points", "rank", "lang", "cancel", "help")
# Telegram language codes for which the command menu is set, beside the default menu.
MENU_LANGUAGES = {"zh": "zh-CN", "en": "en"}
STARTUP_WAIT_S = 10.0
PTBApp = Application[Any, Any, Any, Any, Any, Any]


def plugin(settings: Settings) -> TelegramPlugin | None:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set."""
    if settings.telegram_bot_token is None:
        return None
    return TelegramPlugin(settings)


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or one derived from the token so every process agrees on it."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value().encode()
    return hmac.new(token, b"safetyloop telegram webhook", hashlib.sha256).hexdigest()


class RedactToken(logging.Filter):
    """httpx logs every request URL at INFO, and Bot API URLs carry the token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True


def application_builder(settings: Settings) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """PTB pointed at the Bot API server, through TELEGRAM_PROXY_URL when one is set."""
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_base_url.rstrip("/")
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .job_queue(None)  # timers are ours, persisted in the database
        .media_write_timeout(60.0)
    )
    if settings.telegram_proxy_url is not None:
        # Telegram is blocked in mainland China: plants reach it through their company proxy.
        # getUpdates has its own connection pool in PTB, hence the second setting.
        proxy = settings.telegram_proxy_url.get_secret_value()
        builder = builder.proxy(proxy).get_updates_proxy(proxy)
    return builder


def menu(lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(lang, f"telegram.command.{name}")) for name in MENU]


class TelegramPlugin:
    """The channel as `safetyloop run` serves it: sender, webhook route and PTB lifecycle."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.channel = TelegramSender(Pacer(settings.telegram_messages_per_second,
                                            settings.telegram_group_messages_per_minute))
        self.webhook_url = settings.telegram_webhook_url
        self.secret = webhook_secret(settings) if self.webhook_url else ""
        self.routes: list[BaseRoute] = []
        if self.webhook_url:
            path = urlsplit(self.webhook_url).path or "/telegram"
            self.routes.append(Route(path, self._webhook, methods=["POST"]))
        self.application: PTBApp | None = None
        self.app: App | None = None
        self._ready = asyncio.Event()
        self._connecting: asyncio.Task[None] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, app: App) -> None:
        """Connect in the background (Telegram may be unreachable); wait a little for it."""
        self.app = app
        # Built here, not in the background: a proxy PTB cannot use stops the start, loudly.
        application = self._build()
        self._connecting = asyncio.create_task(self._connect(app, application),
                                               name="telegram-connect")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._ready.wait()), STARTUP_WAIT_S)

    async def wait_ready(self) -> None:
        await self._ready.wait()

    async def stop(self) -> None:
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        self.channel.disconnect()
        self._ready.clear()
        application, self.application = self.application, None
        if application is None:
            return
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()

    def _token(self) -> str:
        assert self.settings.telegram_bot_token is not None
        return self.settings.telegram_bot_token.get_secret_value()

    def _redacted(self, text: str) -> str:
        """An error's text without the token (InvalidToken quotes it) or the proxy's password."""
        text = text.replace(self._token(), "<token>")
        proxy = self.settings.telegram_proxy_url
        password = urlsplit(proxy.get_secret_value()).password if proxy else None
        return text.replace(password, "<password>") if password else text

    def _build(self) -> PTBApp:
        token = self._token()
        httpx_log = logging.getLogger("httpx")
        if not any(isinstance(f, RedactToken) and f.token == token for f in httpx_log.filters):
            httpx_log.addFilter(RedactToken(token))
        builder = application_builder(self.settings)
        if self.webhook_url:
            builder = builder.updater(None)
        application = builder.build()
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self._on_message))
        application.add_handler(CallbackQueryHandler(self._on_button))
        return application

    async def _connect(self, app: App, application: PTBApp) -> None:
        delay = 1.0
        while True:
            try:
                await application.initialize()
                break
            except TelegramError as exc:
                log.warning("telegram unreachable (%s); retrying in %.0f s",
                            self._redacted(str(exc)), delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        self.application = application
        bot = application.bot
        app.services.dm_links["telegram"] = bot.link
        await self._set_commands(app.services.plant.language)
        await application.start()
        if self.webhook_url:
            await bot.set_webhook(self.webhook_url, secret_token=self.secret,
                                  allowed_updates=ALLOWED_UPDATES)
        else:
            assert application.updater is not None
            await application.updater.start_polling(
                poll_interval=0, allowed_updates=ALLOWED_UPDATES,
                timeout=timedelta(seconds=self.settings.telegram_poll_timeout_s),
            )
        self.channel.connect(bot, app.services.plant.language)
        self._ready.set()
        log.info("telegram connected as @%s (%s%s)", bot.username,
                 "webhook" if self.webhook_url else "long polling",
                 ", through a proxy" if self.settings.telegram_proxy_url else "")

    async def _set_commands(self, default_lang: str) -> None:
        assert self.application is not None
        bot = self.application.bot
        try:
            await bot.set_my_commands(menu(default_lang))
            for code, lang in MENU_LANGUAGES.items():
                if lang in CATALOGS:
                    await bot.set_my_commands(menu(lang), language_code=code)
        except TelegramError as exc:  # a missing menu is cosmetic: carry on serving
            log.warning("setMyCommands failed: %s", exc)

    # -- updates --------------------------------------------------------------------------------

    def _replayed(self, update: Update) -> bool:
        assert self.app is not None
        return self.app.handled(CHANNEL, str(update.update_id))

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is None or self.app is None or self._replayed(update):
            return
        event = await message_event(update.update_id, message, context.bot,
                                    max_bytes=self.app.services.max_photo_bytes)
        if event is not None:
            self.app.handle(event)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or self.app is None or self._replayed(update):
            return
        try:
            await query.answer()  # at once, so the spinner stops; the outcome follows
        except TelegramError as exc:  # too old, or answered by another process
            log.info("could not answer callback %s: %s", query.id, exc)
        event = await button_event(update.update_id, query)
        if event is not None:
            self.app.handle(event)

    async def _webhook(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret.encode()):
            return Response(status_code=403)
        application = self.application
        if application is None or not self._ready.is_set():
            return Response(status_code=503)  # Telegram retries later
        try:
            data = json.loads(await request.body())
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return Response(status_code=400)
        # Handled before answering: a crash means no 200, Telegram retries, the inbox dedupes.
        await application.process_update(update)
        return Response(status_code=200)

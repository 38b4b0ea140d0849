"""The Telegram channel as `safetyloop run` serves it: PTB as the transport, our own intake.

Updates come by long polling (our poller) or, with TELEGRAM_WEBHOOK_URL set, to a route
of the process's web app, which checks Telegram's secret-token header. Either way each
update is kept in the inbound queue before Telegram may consider it received, and the
drain hands it to the inlet from there. The outbox's delivery worker sends replies
through `TelegramSender`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram.error import TelegramError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, wait_exponential

from bot.channels.drain import Drain
from bot.channels.telegram.connection import (
    PTBApp,
    application_builder,
    redact_token_in_logs,
    set_commands,
    webhook_secret,
)
from bot.channels.telegram.inbound import CHANNEL
from bot.channels.telegram.outbound import TelegramSender
from bot.channels.telegram.pacing import Pacer
from bot.channels.telegram.polling import ALLOWED_UPDATES, Poller
from bot.channels.telegram.source import TelegramSource
from bot.inlet import Inlet
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STARTUP_WAIT_S = 10.0
CONNECT_MAX_WAIT_S = 60.0


class TelegramPlugin:
    """The channel as `safetyloop run` serves it: sender, webhook route, intake and lifecycle."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.channel = TelegramSender(Pacer.from_settings(settings))
        self.webhook_url = settings.telegram_webhook_url
        self.secret = webhook_secret(settings) if self.webhook_url else ""
        self.routes: list[BaseRoute] = []
        if self.webhook_url:
            path = urlsplit(self.webhook_url).path or "/telegram"
            self.routes.append(Route(path, self._webhook, methods=["POST"]))
        self.application: PTBApp | None = None
        self.inlet: Inlet | None = None
        self.drain: Drain | None = None
        self._ready = asyncio.Event()
        self._connecting: asyncio.Task[None] | None = None
        self._tasks: list[asyncio.Task[None]] = []

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, inlet: Inlet) -> None:
        """Connect in the background (Telegram may be unreachable); wait a little for it."""
        self.inlet = inlet
        # Built here, not in the background: a proxy PTB cannot use stops the start, loudly.
        application = self._build()
        self._connecting = asyncio.create_task(self._connect(inlet, application),
                                               name="telegram-connect")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._ready.wait()), STARTUP_WAIT_S)

    async def wait_ready(self) -> None:
        await self._ready.wait()

    async def stop(self) -> None:
        tasks = [t for t in (self._connecting, *self._tasks) if t is not None and not t.done()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        self.channel.disconnect()
        self._ready.clear()
        application, self.application = self.application, None
        if application is not None:
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

    async def _initialize(self, application: PTBApp) -> None:
        await application.initialize()
        if self.webhook_url:
            await application.bot.set_webhook(self.webhook_url, secret_token=self.secret,
                                              allowed_updates=ALLOWED_UPDATES)
        else:
            await application.bot.delete_webhook()  # getUpdates is refused while one is set

    def _log_unreachable(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning("telegram unreachable (%s); retrying in %.0f s",
                    self._redacted(str(error)), state.upcoming_sleep)

    def _build(self) -> PTBApp:
        redact_token_in_logs(self._token())
        return application_builder(self.settings).build()

    async def _connect(self, inlet: Inlet, application: PTBApp) -> None:
        # Until Telegram answers: after 1 s, 2 s, 4 s … then every minute.
        async for attempt in AsyncRetrying(
            wait=wait_exponential(max=CONNECT_MAX_WAIT_S),
            retry=retry_if_exception_type(TelegramError), before_sleep=self._log_unreachable,
        ):
            with attempt:
                await self._initialize(application)
        bot = application.bot
        self.application = application
        inlet.link_dm(CHANNEL, bot.link)
        await set_commands(bot, inlet.language)
        drain = self.drain = Drain(inlet, TelegramSource(inlet, bot))
        self._tasks.append(asyncio.create_task(drain.run(), name="telegram-drain"))
        if not self.webhook_url:
            poller = Poller(bot, inlet, timeout_s=self.settings.telegram_poll_timeout_s,
                            on_stored=drain.wake)
            self._tasks.append(asyncio.create_task(poller.run(), name="telegram-poll"))
        self.channel.connect(bot, inlet.language)
        self._ready.set()
        log.info("telegram connected as @%s (%s%s)", bot.username,
                 "webhook" if self.webhook_url else "long polling",
                 ", through a proxy" if self.settings.telegram_proxy_url else "")

    # -- webhook --------------------------------------------------------------------------------

    async def _webhook(self, request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret.encode()):
            return Response(status_code=403)
        if self.inlet is None or self.drain is None or not self._ready.is_set():
            return Response(status_code=503)  # Telegram retries later
        body = await request.body()
        try:
            data = json.loads(body)
        except ValueError:
            return Response(status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return Response(status_code=400)
        # Kept before answering: a crash means no 200, Telegram retries, the inbox dedupes.
        await self.inlet.store(CHANNEL, [json.dumps(data)])
        self.drain.wake()
        return Response(status_code=200)

"""The WeCom (企业微信) channel as `safetyloop run` serves it: a self-built app's callback
URL, the drain behind it, and the sender the delivery worker uses."""

from __future__ import annotations

import asyncio
import contextlib
import time

import httpx
from starlette.routing import BaseRoute, Route

from bot.channels.drain import Drain
from bot.channels.wecom.callback import WecomCallbackCrypto
from bot.channels.wecom.endpoint import CallbackEndpoint
from bot.channels.wecom.outbound import WecomChannel
from bot.channels.wecom.settings import make_api
from bot.channels.wecom.source import WecomSource
from bot.inlet import Inlet
from bot.settings import Settings
from core.datum import DATUMS


class WecomPlugin:
    """Routes for the web server, a sender for the delivery worker, a callback drain."""

    def __init__(self, settings: Settings, *, client: httpx.AsyncClient | None = None) -> None:
        if settings.wecom_datum not in DATUMS:
            raise ValueError(f"WECOM_DATUM must be one of {sorted(DATUMS)}")
        assert settings.wecom_token and settings.wecom_aes_key and settings.wecom_corp_id
        self.settings = settings
        self.api = make_api(settings, client)
        crypto = WecomCallbackCrypto(
            settings.wecom_token.get_secret_value(), settings.wecom_aes_key.get_secret_value(),
            settings.wecom_corp_id, max_age_s=settings.wecom_max_callback_age_s,
            clock=time.time,  # WeCom signs wall-clock timestamps, whatever the app's clock
        )
        self.channel = WecomChannel(self.api, user_limit=settings.wecom_user_rate_limit,
                                    group_limit=settings.wecom_group_rate_limit)
        self.inbox: Drain | None = None
        self.callback = CallbackEndpoint(crypto, on_stored=self._stored)
        self.routes: list[BaseRoute] = [
            Route(settings.wecom_callback_path, self.callback.handle, methods=["GET", "POST"])
        ]
        self._task: asyncio.Task[None] | None = None

    def _stored(self) -> None:
        if self.inbox is not None:
            self.inbox.wake()

    def attach(self, inlet: Inlet) -> Drain:
        """Wire to the inlet (its clock, language, queue) without starting the drain."""
        self.channel.language = inlet.language
        self.inbox = Drain(inlet, WecomSource(self.api, inlet, datum=self.settings.wecom_datum))
        self.callback.attach(inlet)
        return self.inbox

    async def start(self, inlet: Inlet) -> None:
        inbox = self.attach(inlet)
        self._task = asyncio.create_task(inbox.run(), name="wecom-inbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.api.aclose()

"""The WeCom (企业微信) channel as `safetyloop run` serves it: a self-built app's callback
URL, the worker behind it, and the sender the delivery worker uses."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING

import httpx
from starlette.routing import BaseRoute, Route

from bot.channels.wecom_api import WecomApi
from bot.channels.wecom_callback import WecomCallbackCrypto
from bot.channels.wecom_http import CallbackEndpoint
from bot.channels.wecom_inbox import WecomInbox
from bot.channels.wecom_outbound import WecomChannel
from bot.settings import Settings
from core.datum import DATUMS
from scheduler.clock import SystemClock
from storage.inbound_queue import SqlInboundQueue

if TYPE_CHECKING:
    from bot.app import App


def configured(settings: Settings) -> bool:
    return all((
        settings.wecom_corp_id, settings.wecom_agent_id, settings.wecom_secret,
        settings.wecom_token, settings.wecom_aes_key,
    ))


def make_api(settings: Settings, client: httpx.AsyncClient | None = None) -> WecomApi:
    assert settings.wecom_corp_id and settings.wecom_agent_id and settings.wecom_secret
    return WecomApi(
        settings.wecom_api_base_url, settings.wecom_corp_id,
        settings.wecom_secret.get_secret_value(), settings.wecom_agent_id, client=client,
    )


class WecomPlugin:
    """Routes for the web server, a sender for the delivery worker, a callback worker."""

    def __init__(self, settings: Settings, *, client: httpx.AsyncClient | None = None) -> None:
        if settings.wecom_datum not in DATUMS:
            raise ValueError(f"WECOM_DATUM must be one of {sorted(DATUMS)}")
        assert settings.wecom_token and settings.wecom_aes_key and settings.wecom_corp_id
        self.api = make_api(settings, client)
        crypto = WecomCallbackCrypto(
            settings.wecom_token.get_secret_value(), settings.wecom_aes_key.get_secret_value(),
            settings.wecom_corp_id, max_age_s=settings.wecom_max_callback_age_s,
            clock=time.time,  # WeCom signs wall-clock timestamps, whatever the app's clock
        )
        self.channel = WecomChannel(self.api, clock=SystemClock())
        self.inbox = WecomInbox(self.api, datum=settings.wecom_datum)
        self.callback = CallbackEndpoint(crypto, on_stored=self.inbox.wake)
        self.routes: list[BaseRoute] = [
            Route(settings.wecom_callback_path, self.callback.handle, methods=["GET", "POST"])
        ]
        self._task: asyncio.Task[None] | None = None

    def attach(self, app: App) -> None:
        """Wire to the app (its clock, language, database) without starting the worker."""
        self.channel.clock = app.services.clock
        self.channel.language = app.services.plant.language
        self.inbox.attach(app)
        self.callback.attach(SqlInboundQueue(app.engine), app.services.clock)

    async def start(self, app: App) -> None:
        self.attach(app)
        self._task = asyncio.create_task(self.inbox.run(), name="wecom-inbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.api.aclose()


def plugin(settings: Settings) -> WecomPlugin | None:
    """The WeCom channel when WECOM_CORP_ID, _AGENT_ID, _SECRET, _TOKEN and _AES_KEY are set."""
    return WecomPlugin(settings) if configured(settings) else None

"""A local fake Telegram Bot API server for end-to-end tests with the real PTB client."""

from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.telegram_api_bot import BotApi
from tests.fakes.telegram_api_messages import Handler, MessageApi
from tests.fakes.telegram_asgi import LocalAsgiServer
from tests.fakes.telegram_faults import Faults, RateLimiter, bad_gateway
from tests.fakes.telegram_objects import JSON
from tests.fakes.telegram_params import ApiError, as_int, loggable, read_params
from tests.fakes.telegram_users import UserSimulator

_API_PATH = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")
_FILE_PREFIX = "/file/bot"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class FakeTelegram(UserSimulator):
    """Serves the Bot API on 127.0.0.1 and records what the bot does; use `async with`."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        bot_username: str = "safetyloop_bot",
        bot_name: str = "SafetyLoop",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(token, bot_username=bot_username, bot_name=bot_name, clock=clock)
        self.faults = Faults()
        self.downloads: list[str] = []
        self._closing = False
        self.bot_api = BotApi(self, self._interrupt, lambda: self._closing)
        self._handlers: dict[str, Handler] = {
            **self.bot_api.handlers(),
            **MessageApi(self).handlers(),
        }
        self.app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["GET", "POST"])])
        self._http = LocalAsgiServer(self.app)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def root(self) -> str:
        """Server root, e.g. "http://127.0.0.1:PORT"."""
        return self._http.root

    @property
    def base_url(self) -> str:
        """What PTB's `base_url` should be."""
        return f"{self.root}/bot"

    @property
    def base_file_url(self) -> str:
        """What PTB's `base_file_url` should be."""
        return f"{self.root}{_FILE_PREFIX}"

    async def start(self) -> None:
        """Start uvicorn in this event loop on a free port and wait until it listens."""
        self._closing = False
        await self._http.start()

    async def stop(self) -> None:
        """End long polls, then shut uvicorn down."""
        self._closing = True
        self.notify()
        await self._http.stop()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- fault injection ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str | None = None,
        count: int = 1,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Fail the next `count` calls of `method` (any method, getUpdates included, if None)."""
        self.faults.fail_next(method, count, status, retry_after, description)

    def down(self) -> None:
        """Every request answers 502 Bad Gateway until `up()`."""
        self.faults.is_down = True
        self.notify()

    def up(self) -> None:
        """End the outage."""
        self.faults.is_down = False
        self.notify()

    def enable_rate_limit(
        self,
        per_second: int = 30,
        per_group_per_minute: int = 20,
        per_private_chat_per_second: int | None = None,
    ) -> RateLimiter:
        """Answer send* methods over Telegram-like flood limits with 429 and retry_after."""
        self.faults.limiter = RateLimiter(
            per_second, per_group_per_minute, per_private_chat_per_second
        )
        return self.faults.limiter

    def disable_rate_limit(self) -> None:
        """Turn the flood limits off."""
        self.faults.limiter = None

    # -- webhooks -------------------------------------------------------------------------------

    async def post_to_webhook(
        self, url: str, update: JSON, secret_token: str | None = None
    ) -> httpx.Response:
        """POST an update to a webhook URL the way Telegram does."""
        headers = {SECRET_HEADER: secret_token} if secret_token is not None else {}
        async with httpx.AsyncClient(timeout=5.0) as client:
            return await client.post(url, json=update, headers=headers)

    async def deliver_to_webhook(self) -> list[httpx.Response]:
        """Push pending updates to the webhook set by the bot; 2xx answers confirm them."""
        url = self.webhook.get("url")
        if not url:
            raise RuntimeError("no webhook is set")
        responses: list[httpx.Response] = []
        for update in list(self.updates):
            response = await self.post_to_webhook(url, update, self.webhook.get("secret_token"))
            responses.append(response)
            if response.is_success:
                self.updates.remove(update)
        self.notify()
        return responses

    # -- HTTP -----------------------------------------------------------------------------------

    def _interrupt(self) -> ApiError | None:
        return bad_gateway() if self.faults.is_down else None

    async def _handle(self, request: Request) -> Response:
        path = request.url.path
        if self.faults.is_down:
            return _error(bad_gateway())
        if path.startswith(_FILE_PREFIX):
            return self._download(path)
        match = _API_PATH.fullmatch(path)
        if match is None:
            return _error(ApiError(404, "Not Found"))
        token, method = match.groups()
        if token != self.token:
            return _error(ApiError(401, "Unauthorized"))
        try:
            params = await read_params(request)
        except ClientDisconnect:  # the bot gave up on the call (it stopped): nobody hears back
            return Response(status_code=499)
        except ApiError as exc:
            return _error(exc)
        try:
            self.calls.append(method)
            self.requests.append((method, loggable(params)))
            self.notify()
            handler = self._handlers.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found")
            fault = self.faults.check(method, _chat_id_of(params))
            if fault is not None:
                raise fault
            result = await handler(params)
        except ApiError as exc:
            return _error(exc)
        except Exception:
            # A bug in the fake must fail loudly in the test, not look like a Telegram error.
            self.errors.append(traceback.format_exc())
            return _error(ApiError(500, "Internal Server Error: fake server bug, see tg.errors"))
        return JSONResponse({"ok": True, "result": result})

    def _download(self, path: str) -> Response:
        prefix = f"{_FILE_PREFIX}{self.token}/"
        record = self.file_by_path(path[len(prefix) :]) if path.startswith(prefix) else None
        if record is None or record.data is None:
            return _error(ApiError(404, "Not Found"))
        self.downloads.append(record.file_path)
        self.notify()
        return Response(record.data, media_type="application/octet-stream")


def _error(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def _chat_id_of(params: dict[str, Any]) -> int | None:
    try:
        return as_int(params, "chat_id")
    except ApiError:
        return None

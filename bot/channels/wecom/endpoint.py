"""The callback URL: WeCom's GET check and its encrypted POSTs, answered at once."""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.channels.wecom.callback import CallbackRejected, WecomCallbackCrypto, parse, query_params
from bot.channels.wecom.inbound import CHANNEL
from bot.inlet import Inlet

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # callbacks are a few hundred bytes; refuse anything huge


class CallbackEndpoint:
    """Verifies and decrypts; stores accepted callbacks durably, then wakes the worker."""

    def __init__(self, crypto: WecomCallbackCrypto, *, on_stored: Callable[[], None]) -> None:
        self.crypto, self.on_stored = crypto, on_stored
        self._inlet: Inlet | None = None

    def attach(self, inlet: Inlet) -> None:
        self._inlet = inlet

    async def handle(self, request: Request) -> Response:
        params = query_params(request.scope.get("query_string", b""))
        if request.method == "GET":
            return self._verify(params)
        if self._inlet is None:
            return Response(status_code=503)  # not started yet: WeCom will retry
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return Response(status_code=413)
        body = await request.body()
        try:
            xml = self.crypto.decrypt(params, body[: MAX_BODY_BYTES + 1])
        except CallbackRejected as refused:
            log.warning("refused a WeCom callback from %s: %s", _peer(request), refused)
            return Response(status_code=403)
        try:
            parse(xml)
        except ValueError:  # signed by WeCom yet not a message: nothing to do, no retries
            log.warning("ignoring a WeCom callback that is not a message")
            return Response(status_code=200)
        # Kept before answering: a crash means no 200, WeCom retries, the inbox dedupes.
        await self._inlet.store(CHANNEL, [xml])
        self.on_stored()
        return Response(status_code=200)

    def _verify(self, params: dict[str, str]) -> Response:
        try:
            return PlainTextResponse(self.crypto.verify_url(params))
        except CallbackRejected as refused:
            log.warning("refused a WeCom URL check: %s", refused)
            return Response(status_code=403)


def _peer(request: Request) -> str:
    return request.client.host if request.client else "?"

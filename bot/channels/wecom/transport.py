"""HTTP access to the WeCom server API for one app: the access_token and error checks."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any, Self

import httpx
from tenacity import retry, retry_if_exception_type, stop_after_attempt

from bot.channels.wecom.errors import (
    TOKEN_ERRORS,
    WecomApiError,
    WecomTokenRefused,
    WecomUnavailable,
    errcode,
    json_of,
    raise_for,
)

DEFAULT_TIMEOUT_S = 10.0
# WeCom tokens live `expires_in` (7200 s) but may be revoked early; refresh a bit before.
TOKEN_MARGIN_S = 300.0

# A token may die before its time (revoked, or replaced by another process's gettoken):
# a call it spoilt is made once more, with a fresh token.
with_a_fresh_token = retry(
    stop=stop_after_attempt(2), retry=retry_if_exception_type(WecomTokenRefused), reraise=True,
)


class WecomTransport:
    """One app's HTTP access: token cache with single-flight refresh, errcode checks."""

    def __init__(
        self,
        base_url: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        *,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._base = base_url.rstrip("/") + "/cgi-bin/"
        self._corp_id = corp_id
        self._secret = secret
        self.agent_id = agent_id
        self._client = client if client is not None else httpx.AsyncClient()
        self._owns_client = client is None
        self._clock = clock
        self._timeout = httpx.Timeout(timeout_s)
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(base={self._base!r}, corp_id={self._corp_id!r}, agent_id={self.agent_id})"

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- token -----------------------------------------------------------------------------

    def _cached_token(self) -> str | None:
        if self._token is not None and self._clock() < self._token_expires_at:
            return self._token
        return None

    async def access_token(self) -> str:
        """A valid access_token; concurrent callers wait for one shared gettoken."""
        token = self._cached_token()
        if token is not None:
            return token
        async with self._token_lock:
            token = self._cached_token()
            if token is not None:  # another caller refreshed while we waited
                return token
            params = {"corpid": self._corp_id, "corpsecret": self._secret}
            data = json_of(await self._http("GET", "gettoken", params=params))
            raise_for("gettoken", data)
            if not data or not isinstance(data.get("access_token"), str):
                raise WecomApiError(-2, "gettoken answered without an access_token")
            lifetime = float(data.get("expires_in") or 7200)
            self._token = data["access_token"]
            self._token_expires_at = self._clock() + max(lifetime - TOKEN_MARGIN_S, 0.0)
            return self._token

    def _invalidate(self, token: str) -> None:
        # Only the first caller to see a dead token drops it; later ones find it replaced.
        if self._token == token:
            self._token = None

    def _check_token(self, token: str, data: Mapping[str, Any] | None) -> None:
        """Drop a token that WeCom refused, and raise WecomTokenRefused to try again."""
        code = errcode(data)
        if code in TOKEN_ERRORS:
            self._invalidate(token)
            raise WecomTokenRefused(code, str((data or {}).get("errmsg", "")))

    # -- transport -------------------------------------------------------------------------

    async def _http(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._client.request(
                method, self._base + path, timeout=self._timeout, **kwargs
            )
        except httpx.TransportError as exc:
            raise WecomUnavailable(f"{path}: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise WecomUnavailable(f"{path}: HTTP {response.status_code}")
        if response.status_code != 200:
            raise WecomApiError(response.status_code, f"{path}: unexpected HTTP status")
        return response

    @with_a_fresh_token
    async def _call(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """An authenticated call; made once more with a fresh token if WeCom refused the token."""
        token = await self.access_token()
        response = await self._http(
            method, path, params={**(params or {}), "access_token": token}, **kwargs
        )
        self._check_token(token, json_of(response))
        raise_for(path, json_of(response))
        return response

    async def _post(
        self, path: str, body: Mapping[str, Any], params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        data = json_of(await self._call("POST", path, params=params, json=body))
        if data is None:
            raise WecomApiError(-2, f"{path}: answer is not a JSON object")
        return data

"""Async client for one WeCom (企业微信) self-built app's server API, over httpx.

wechatpy's client is synchronous and ignores a custom base URL for gettoken and media,
so this is written directly against the documented endpoints under `/cgi-bin/`.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

DEFAULT_TIMEOUT_S = 10.0
# WeCom tokens live `expires_in` (7200 s) but may be revoked early; refresh a bit before.
TOKEN_MARGIN_S = 300.0
# 40014 invalid and 42001 expired access_token. 40001 ("invalid credential") is retried
# too: harmless, since with a truly wrong secret the fresh gettoken fails loudly.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# 45009 frequency limit, 45011 minute quota, 45033 concurrency limit; suggested waits.
RATE_LIMIT_RETRY_AFTER_S = {45009: 60.0, 45011: 60.0, 45033: 1.0}
SYSTEM_BUSY = -1
MAX_CARD_BUTTONS = 6
MAX_BUTTON_KEY_BYTES = 1024
MEDIA_KINDS = frozenset({"image", "voice", "video", "file"})
_TASK_ID = re.compile(r"[A-Za-z0-9_\-@]{1,128}")


class WecomError(Exception):
    """Any failure talking to WeCom."""


class WecomApiError(WecomError):
    """WeCom answered with a non-zero errcode (or an HTTP status it should never use)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeCom errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WecomRateLimited(WecomApiError):
    """A frequency, quota or concurrency limit; try again after `retry_after` seconds."""

    def __init__(self, errcode: int, errmsg: str, retry_after: float) -> None:
        super().__init__(errcode, errmsg)
        self.retry_after = retry_after


class WecomUnavailable(WecomError):
    """Network failure, timeout, HTTP 5xx or errcode -1 (system busy): safe to retry later."""


@dataclass(frozen=True)
class SentMessage:
    """What message/send answers: the msgid, and a single-use response_code for cards."""

    msgid: str
    response_code: str | None = None


def _json_of(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is something else (media bytes)."""
    ctype = response.headers.get("content-type", "")
    if "json" not in ctype and "text" not in ctype and not response.content.startswith(b"{"):
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _errcode(data: Mapping[str, Any] | None) -> int:
    if not data:
        return 0
    try:
        return int(data.get("errcode") or 0)
    except (TypeError, ValueError):
        return 0


def _raise_for(path: str, data: Mapping[str, Any] | None) -> None:
    errcode = _errcode(data)
    if errcode == 0:
        return
    errmsg = str((data or {}).get("errmsg", ""))
    if errcode in RATE_LIMIT_RETRY_AFTER_S:
        raise WecomRateLimited(errcode, errmsg, RATE_LIMIT_RETRY_AFTER_S[errcode])
    if errcode == SYSTEM_BUSY:
        raise WecomUnavailable(f"{path}: system busy ({errmsg})")
    raise WecomApiError(errcode, errmsg)


def _check_card(task_id: str, buttons: Sequence[tuple[str, str]]) -> None:
    if not _TASK_ID.fullmatch(task_id):
        raise ValueError("task_id must be 1-128 characters of [A-Za-z0-9_-@]")
    if not 1 <= len(buttons) <= MAX_CARD_BUTTONS:
        raise ValueError(f"a button card holds 1 to {MAX_CARD_BUTTONS} buttons; split it")
    keys = [key for key, _ in buttons]
    if len(set(keys)) != len(keys):
        raise ValueError("button keys must be unique within a card")
    for key, text in buttons:
        if not key or len(key.encode()) > MAX_BUTTON_KEY_BYTES or not text:
            raise ValueError(f"button {text!r}: key must be 1-{MAX_BUTTON_KEY_BYTES} bytes")


class WecomApi:
    """One app's API: token cache with single-flight refresh, messages, media, groups."""

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
        return f"WecomApi(base={self._base!r}, corp_id={self._corp_id!r}, agent_id={self.agent_id})"

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> WecomApi:
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
            data = _json_of(await self._http("GET", "gettoken", params=params))
            _raise_for("gettoken", data)
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

    async def _call(
        self, method: str, path: str, *, params: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        """An authenticated call; refreshes the token once on a token error and retries."""
        token = await self.access_token()
        response = await self._http(
            method, path, params={**(params or {}), "access_token": token}, **kwargs
        )
        if _errcode(_json_of(response)) in TOKEN_ERRORS:
            self._invalidate(token)
            token = await self.access_token()
            response = await self._http(
                method, path, params={**(params or {}), "access_token": token}, **kwargs
            )
        _raise_for(path, _json_of(response))
        return response

    async def _post(
        self, path: str, body: Mapping[str, Any], params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        data = _json_of(await self._call("POST", path, params=params, json=body))
        if data is None:
            raise WecomApiError(-2, f"{path}: answer is not a JSON object")
        return data

    # -- messages to one or more users ("a|b") -----------------------------------------------

    async def _send(self, touser: str, msgtype: str, content: Mapping[str, Any]) -> SentMessage:
        body = {
            "touser": touser,
            "msgtype": msgtype,
            "agentid": self.agent_id,
            msgtype: dict(content),
            "safe": 0,
        }
        data = await self._post("message/send", body)
        code = data.get("response_code")
        return SentMessage(
            msgid=str(data.get("msgid", "")),
            response_code=code if isinstance(code, str) and code else None,
        )

    async def send_text(self, touser: str, content: str) -> SentMessage:
        """Plain text (WeCom truncates beyond 2048 bytes)."""
        return await self._send(touser, "text", {"content": content})

    async def send_markdown(self, touser: str, content: str) -> SentMessage:
        """WeCom's markdown subset (shown in the WeCom app, not in WeChat)."""
        return await self._send(touser, "markdown", {"content": content})

    async def upload_media(
        self, kind: str, filename: str, data: bytes, content_type: str | None = None
    ) -> str:
        """Upload temporary media (kept 3 days); returns its media_id."""
        if kind not in MEDIA_KINDS:
            raise ValueError(f"media kind must be one of {sorted(MEDIA_KINDS)}")
        ctype = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        response = await self._call(
            "POST", "media/upload", params={"type": kind}, files={"media": (filename, data, ctype)}
        )
        media_id = (_json_of(response) or {}).get("media_id")
        if not isinstance(media_id, str) or not media_id:
            raise WecomApiError(-2, "media/upload answered without a media_id")
        return media_id

    async def send_image(
        self, touser: str, data: bytes, *, filename: str = "image.jpg"
    ) -> SentMessage:
        """Upload an image and send it."""
        media_id = await self.upload_media("image", filename, data)
        return await self._send(touser, "image", {"media_id": media_id})

    async def send_file(self, touser: str, filename: str, data: bytes) -> SentMessage:
        """Upload a file (the filename is what the user sees) and send it."""
        media_id = await self.upload_media("file", filename, data)
        return await self._send(touser, "file", {"media_id": media_id})

    async def send_button_card(
        self,
        touser: str,
        *,
        task_id: str,
        title: str,
        description: str,
        buttons: Sequence[tuple[str, str]],
    ) -> SentMessage:
        """A button_interaction card of ≤ 6 (key, text) buttons; a press returns key as EventKey."""
        _check_card(task_id, buttons)
        card: dict[str, Any] = {
            "card_type": "button_interaction",
            "main_title": {"title": title},
            "task_id": task_id,
            "button_list": [
                {"type": 0, "text": text, "style": 1, "key": key} for key, text in buttons
            ],
        }
        if description:
            card["sub_title_text"] = description
        return await self._send(touser, "template_card", card)

    async def update_button_card(
        self, *, userids: Sequence[str], response_code: str, replace_name: str
    ) -> None:
        """Grey out a card's buttons with `replace_name` (the response_code is single use)."""
        await self._post(
            "message/update_template_card",
            {
                "userids": list(userids),
                "agentid": self.agent_id,
                "response_code": response_code,
                "button": {"replace_name": replace_name},
            },
        )

    async def get_media(self, media_id: str) -> bytes:
        """Download media (a user's photo); WeCom reports failure as HTTP 200 + JSON."""
        response = await self._call("GET", "media/get", params={"media_id": media_id})
        if "errcode" in (_json_of(response) or {}):  # errcode 0 here is still not media
            raise WecomApiError(-2, "media/get answered JSON instead of media")
        return response.content

    # -- app group chats (for sending; apps receive nothing from groups) ---------------------

    async def appchat_create(
        self, name: str, owner: str, userlist: Sequence[str], chatid: str | None = None
    ) -> str:
        """Create a group chat (≥ 2 members); returns its chatid."""
        body: dict[str, Any] = {"name": name, "owner": owner, "userlist": list(userlist)}
        if chatid:
            body["chatid"] = chatid
        data = await self._post("appchat/create", body)
        return str(data.get("chatid") or chatid or "")

    async def appchat_send_text(self, chatid: str, content: str) -> None:
        await self._post(
            "appchat/send",
            {"chatid": chatid, "msgtype": "text", "text": {"content": content}, "safe": 0},
        )

    async def appchat_send_markdown(self, chatid: str, content: str) -> None:
        await self._post(
            "appchat/send",
            {"chatid": chatid, "msgtype": "markdown", "markdown": {"content": content}},
        )

    async def create_menu(self, menu: Mapping[str, Any]) -> None:
        """Replace the app's menu: `{"button": [...]}` as in WeCom's menu/create."""
        await self._post("menu/create", menu, params={"agentid": self.agent_id})

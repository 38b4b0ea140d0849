"""Async client for one WeCom (企业微信) self-built app's server API, over httpx.

wechatpy's client is synchronous and ignores a custom base URL for gettoken and media,
so this is written directly against the documented endpoints under `/cgi-bin/`.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from bot.channels.wecom.cards import MAX_CARD_BUTTONS, CardButton, as_buttons, button_card
from bot.channels.wecom.errors import (
    WecomApiError,
    WecomError,
    WecomRateLimited,
    WecomUnavailable,
    json_of,
    raise_for,
)
from bot.channels.wecom.transport import WecomTransport, with_a_fresh_token

__all__ = [
    "MAX_CARD_BUTTONS",
    "CardButton",
    "Media",
    "SentMessage",
    "WecomApi",
    "WecomApiError",
    "WecomError",
    "WecomRateLimited",
    "WecomUnavailable",
]

MEDIA_KINDS = frozenset({"image", "voice", "video", "file"})


@dataclass(frozen=True)
class SentMessage:
    """message/send's answer: msgid, a card's single-use response_code, unreachable users."""

    msgid: str
    response_code: str | None = None
    invaliduser: tuple[str, ...] = ()


@dataclass(frozen=True)
class Media:
    """A downloaded media file; `data` is None when it was larger than the caller's limit."""

    data: bytes | None
    size: int
    content_type: str = ""
    filename: str = ""


class WecomApi(WecomTransport):
    """One app's API: messages, cards, media, group chats and the menu."""

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
        invalid = str(data.get("invaliduser") or "")
        return SentMessage(
            msgid=str(data.get("msgid", "")),
            response_code=code if isinstance(code, str) and code else None,
            invaliduser=tuple(u for u in invalid.split("|") if u),
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
        media_id = (json_of(response) or {}).get("media_id")
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
        buttons: Sequence[tuple[str, str] | CardButton],
    ) -> SentMessage:
        """A button_interaction card of ≤ 6 buttons ((key, text) pairs or CardButtons);
        a press comes back with the button's key as EventKey."""
        card = button_card(task_id, title, description, as_buttons(buttons))
        return await self._send(touser, "template_card", card)

    async def update_button_card(
        self,
        *,
        response_code: str,
        replace_name: str,
        userids: Sequence[str] = (),
        atall: bool = False,
    ) -> None:
        """Grey out a card's buttons with `replace_name` for `userids`, or with `atall` for
        everyone who received it (the response_code is single use)."""
        body: dict[str, Any] = {
            "userids": list(userids),
            "agentid": self.agent_id,
            "response_code": response_code,
            "button": {"replace_name": replace_name},
        }
        if atall:
            body["atall"] = 1
        await self._post("message/update_template_card", body)

    async def get_media(self, media_id: str) -> bytes:
        """Download media (a user's photo); WeCom reports failure as HTTP 200 + JSON."""
        response = await self._call("GET", "media/get", params={"media_id": media_id})
        if "errcode" in (json_of(response) or {}):  # errcode 0 here is still not media
            raise WecomApiError(-2, "media/get answered JSON instead of media")
        return response.content

    @with_a_fresh_token
    async def download_media(self, media_id: str, max_bytes: int) -> Media:
        """Stream media; stop reading (data None) as soon as it exceeds `max_bytes`."""
        token = await self.access_token()
        params = {"media_id": media_id, "access_token": token}
        try:
            async with self._client.stream(
                "GET", self._base + "media/get", params=params, timeout=self._timeout
            ) as response:
                if response.status_code >= 500:
                    raise WecomUnavailable(f"media/get: HTTP {response.status_code}")
                if response.status_code != 200:
                    raise WecomApiError(response.status_code, "media/get: unexpected status")
                if "json" in response.headers.get("content-type", "") or "text" in (
                    response.headers.get("content-type", "")
                ):
                    await response.aread()
                    data = json_of(response)
                    self._check_token(token, data)
                    raise_for("media/get", data)
                    raise WecomApiError(-2, "media/get answered JSON instead of media")
                return await _read_limited(response, max_bytes)
        except httpx.TransportError as exc:
            raise WecomUnavailable(f"media/get: {type(exc).__name__}: {exc}") from exc

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

    async def appchat_get(self, chatid: str) -> dict[str, Any]:
        """The group's chat_info (name, owner, userlist); raises if the app has no such group."""
        response = await self._call("GET", "appchat/get", params={"chatid": chatid})
        info = (json_of(response) or {}).get("chat_info")
        return info if isinstance(info, dict) else {}

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

    async def appchat_send_media(self, chatid: str, kind: str, filename: str, data: bytes) -> None:
        """Upload an image or file and post it to the group."""
        media_id = await self.upload_media(kind, filename, data)
        await self._post(
            "appchat/send", {"chatid": chatid, "msgtype": kind, kind: {"media_id": media_id}}
        )

    async def create_menu(self, menu: Mapping[str, Any]) -> None:
        """Replace the app's menu: `{"button": [...]}` as in WeCom's menu/create."""
        await self._post("menu/create", menu, params={"agentid": self.agent_id})

    # -- contacts (only what the app's visible range, 可见范围, includes) -----------------------

    async def department_list(self, department_id: int | None = None) -> list[dict[str, Any]]:
        """A department and everything under it (all visible ones when None): id, name,
        name_en, parentid, order, department_leader."""
        params = {} if department_id is None else {"id": department_id}
        response = await self._call("GET", "department/list", params=params)
        return _objects((json_of(response) or {}).get("department"))

    async def user_list(self, department_id: int) -> list[dict[str, Any]]:
        """Members directly in one department: userid, name, department, main_department,
        position, direct_leader, status; mobile and email only if the app may see them."""
        response = await self._call("GET", "user/list", params={"department_id": department_id})
        return _objects((json_of(response) or {}).get("userlist"))


def _objects(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


async def _read_limited(response: httpx.Response, max_bytes: int) -> Media:
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    disposition = response.headers.get("content-disposition", "")
    filename = disposition.partition('filename="')[2].partition('"')[0]
    declared = int(response.headers.get("content-length") or 0)
    if declared > max_bytes:
        return Media(None, declared, ctype, filename)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:  # a lying or missing Content-Length: stop reading anyway
            return Media(None, size, ctype, filename)
        chunks.append(chunk)
    return Media(b"".join(chunks), size, ctype, filename)

"""A fake WeCom API server (Starlette + uvicorn on 127.0.0.1) and callback builders for tests.

JSON shapes and errcodes follow the WeCom server API; where WeCom documents no code for a
case (an unknown chat, a spent response_code) the fake answers 40058 "invalid parameter".
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import re
import secrets
import socket
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack
from urllib.parse import quote, urlencode

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from wechatpy.enterprise.crypto import WeChatCrypto  # type: ignore[import-untyped]

from tests.fakes import wecom_roster as roster

TOKEN_TTL_S = 7200
INTERACTIVE_CARDS = {"button_interaction", "vote_interaction", "multiple_interaction"}
MSGTYPES = {"text", "markdown", "image", "voice", "video", "file", "news", "template_card"}
Handler = Callable[[Request], Awaitable[Response]]


def _err(errcode: int, errmsg: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"errcode": errcode, "errmsg": errmsg, **extra})


def _ok(**extra: Any) -> JSONResponse:
    return _err(0, "ok", **extra)


@dataclass(frozen=True)
class Sent:
    """One message as the fake received it: its msgtype and the whole JSON body."""

    msgtype: str
    payload: dict[str, Any]


class FakeWecom:
    """`async with FakeWecom(corp_id, secret, agent_id) as wc:`, then use `wc.base_url`."""

    def __init__(self, corp_id: str, secret: str, agent_id: int) -> None:
        self.corp_id, self.secret, self.agent_id = corp_id, secret, agent_id
        self.base_url = ""
        self.token_requests = 0
        self.calls: Counter[str] = Counter()
        self.sent: defaultdict[str, list[Sent]] = defaultdict(list)
        self.chats: dict[str, dict[str, Any]] = {}
        self.chat_messages: defaultdict[str, list[Sent]] = defaultdict(list)
        self.card_updates: list[dict[str, Any]] = []
        self.menus: list[dict[str, Any]] = []
        self.invalid_users: set[str] = set()  # user ids WeCom reports back as invaliduser
        self.media: dict[str, tuple[bytes, str, str]] = {}  # id -> (data, content type, name)
        self.departments = copy.deepcopy(roster.DEPARTMENTS)  # the contact API's address book
        self.members = copy.deepcopy(roster.MEMBERS)
        self.contacts_visible = True  # False: the app's visible range holds nobody (60011)
        self.private_fields_hidden = False  # True: an app created since 2022 (no mobile, email)
        self._tokens: dict[str, bool] = {}  # token -> still valid
        self._response_codes: set[str] = set()
        self._task_ids: set[str] = set()
        self._down = False
        self._rate_limited = 0
        self._ids = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._handlers: dict[str, Handler] = {
            "gettoken": self._gettoken,
            "message/send": self._message_send,
            "message/update_template_card": self._update_card,
            "media/upload": self._media_upload,
            "media/get": self._media_get,
            "appchat/create": self._appchat_create,
            "appchat/send": self._appchat_send,
            "appchat/get": self._appchat_get,
            "menu/create": self._menu_create,
            "department/list": self._department_list,
            "user/list": self._user_list,
        }

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> FakeWecom:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # the OS picks a free port
        app = Starlette(
            routes=[Route("/cgi-bin/{path:path}", self._dispatch, methods=["GET", "POST"])]
        )
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", ws="none", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        async with asyncio.timeout(5):
            while not self._server.started:  # wait on uvicorn's own readiness flag
                if self._task.done():
                    await self._task
                await asyncio.sleep(0.005)
        self.base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task

    # -- test controls ---------------------------------------------------------------------

    def expire_tokens(self) -> None:
        """Make every token issued so far answer 42001 (access_token expired)."""
        self._tokens = dict.fromkeys(self._tokens, False)

    def down(self) -> None:
        """Answer every request with HTTP 503 until up()."""
        self._down = True

    def up(self) -> None:
        self._down = False

    def rate_limit_next(self, n: int) -> None:
        """Answer the next n requests (any endpoint) with errcode 45009."""
        self._rate_limited = n

    def add_media(
        self, data: bytes, *, content_type: str = "image/jpeg", filename: str = "photo.jpg"
    ) -> str:
        """Store media as if a user had sent it; returns its media_id."""
        media_id = f"media-{next(self._ids)}-{secrets.token_hex(6)}"
        self.media[media_id] = (data, content_type, filename)
        return media_id

    # -- dispatch --------------------------------------------------------------------------

    async def _dispatch(self, request: Request) -> Response:
        path = request.path_params["path"]
        self.calls[path] += 1
        if self._down:
            return Response("service unavailable", status_code=503)
        if self._rate_limited > 0:
            self._rate_limited -= 1
            return _err(45009, "api freq out of limit")
        handler = self._handlers.get(path)
        if handler is None:
            return Response("not found", status_code=404)
        if path != "gettoken":
            token = request.query_params.get("access_token")
            if not token:
                return _err(41001, "access_token missing")
            if token not in self._tokens:
                return _err(40014, "invalid access_token")
            if not self._tokens[token]:
                return _err(42001, "access_token expired")
        return await handler(request)

    async def _json(self, request: Request) -> dict[str, Any]:
        body = await request.json()
        return body if isinstance(body, dict) else {}

    # -- endpoints -------------------------------------------------------------------------

    async def _gettoken(self, request: Request) -> Response:
        self.token_requests += 1
        if request.query_params.get("corpid") != self.corp_id:
            return _err(40013, "invalid corpid")
        if request.query_params.get("corpsecret") != self.secret:
            return _err(40001, "invalid credential")
        token = f"token-{next(self._ids)}-{secrets.token_hex(8)}"
        self._tokens[token] = True
        return _ok(access_token=token, expires_in=TOKEN_TTL_S)

    async def _message_send(self, request: Request) -> Response:
        body = await self._json(request)
        if body.get("agentid") != self.agent_id:
            return _err(40056, "invalid agentid")
        msgtype = body.get("msgtype")
        if msgtype not in MSGTYPES or not isinstance(body.get(msgtype), dict):
            return _err(40008, "invalid message type")
        if not body.get("touser"):
            return _err(40003, "invalid userid")
        part = body[msgtype]
        if (
            msgtype in {"image", "file", "voice", "video"}
            and part.get("media_id") not in self.media
        ):
            return _err(40007, "invalid media_id")
        extra: dict[str, Any] = {}
        if msgtype == "template_card" and part.get("card_type") in INTERACTIVE_CARDS:
            task_id = part.get("task_id")
            if not task_id or task_id in self._task_ids:
                return _err(42014, "taskid has existed or empty or exceed max len")
            self._task_ids.add(task_id)
            extra["response_code"] = self.issue_response_code()
        users = str(body["touser"]).split("|")
        for user in users:
            if user not in self.invalid_users:
                self.sent[user].append(Sent(msgtype, body))
        invalid = "|".join(u for u in users if u in self.invalid_users)
        return _ok(invaliduser=invalid, msgid=f"msg-{next(self._ids)}", **extra)

    def issue_response_code(self) -> str:
        """A fresh single-use ResponseCode, as WeCom puts in sends and card-press events."""
        code = f"rc-{secrets.token_hex(12)}"
        self._response_codes.add(code)
        return code

    async def _update_card(self, request: Request) -> Response:
        body = await self._json(request)
        if body.get("agentid") != self.agent_id:
            return _err(40056, "invalid agentid")
        code = body.get("response_code")
        if code not in self._response_codes:
            return _err(40058, "invalid response_code")
        self._response_codes.discard(code)  # single use
        self.card_updates.append(body)
        return _ok(invaliduser=[])

    async def _media_upload(self, request: Request) -> Response:
        kind = request.query_params.get("type")
        if kind not in {"image", "voice", "video", "file"}:
            return _err(40004, "invalid media type")
        upload = _multipart_file(request.headers.get("content-type", ""), await request.body())
        if upload is None:
            return _err(44001, "empty media data")
        data, content_type, filename = upload
        if len(data) <= 5:  # WeCom: every file must be larger than 5 bytes
            return _err(40006, "invalid file size")
        media_id = self.add_media(data, content_type=content_type, filename=filename)
        return _err(0, "", type=kind, media_id=media_id, created_at="1380000000")

    async def _media_get(self, request: Request) -> Response:
        stored = self.media.get(request.query_params.get("media_id", ""))
        if stored is None:  # WeCom answers a failed download with HTTP 200 and JSON
            return _err(40007, "invalid media_id")
        data, content_type, filename = stored
        return Response(
            data,
            media_type=content_type,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    async def _appchat_create(self, request: Request) -> Response:
        body = await self._json(request)
        users = body.get("userlist")
        if not isinstance(users, list) or len(users) < 2:
            return _err(40031, "invalid userid list")
        chatid = body.get("chatid") or f"chat{next(self._ids)}"
        self.chats[chatid] = {**body, "chatid": chatid}
        return _ok(chatid=chatid)

    async def _appchat_get(self, request: Request) -> Response:
        chat = self.chats.get(request.query_params.get("chatid", ""))
        if chat is None:
            return _err(40058, "invalid chatid")
        return _ok(chat_info={k: chat.get(k) for k in ("chatid", "name", "owner", "userlist")})

    async def _appchat_send(self, request: Request) -> Response:
        body = await self._json(request)
        if body.get("chatid") not in self.chats:
            return _err(40058, "invalid chatid")
        msgtype = body.get("msgtype")
        if msgtype not in MSGTYPES or not isinstance(body.get(msgtype), dict):
            return _err(40008, "invalid message type")
        self.chat_messages[body["chatid"]].append(Sent(msgtype, body))
        return _ok()

    async def _menu_create(self, request: Request) -> Response:
        if request.query_params.get("agentid") != str(self.agent_id):
            return _err(40056, "invalid agentid")
        self.menus.append(await self._json(request))
        return _ok()

    def _department(self, raw: str | None) -> dict[str, Any] | None:
        return next((d for d in self.departments if str(d["id"]) == raw), None)

    async def _department_list(self, request: Request) -> Response:
        if not self.contacts_visible:
            return _err(60011, "no privilege to access/modify contact/party/agent")
        wanted = request.query_params.get("id")
        if wanted is None:  # no id: the whole visible tree
            return _ok(department=self.departments)
        top = self._department(wanted)
        if top is None:
            return _err(60003, "department not found")
        tree, ids = [top], {top["id"]}
        for department in self.departments:  # parents come before their children here
            if department["parentid"] in ids and department["id"] not in ids:
                tree.append(department)
                ids.add(department["id"])
        return _ok(department=tree)

    async def _user_list(self, request: Request) -> Response:
        if not self.contacts_visible:
            return _err(60011, "no privilege to access/modify contact/party/agent")
        department = self._department(request.query_params.get("department_id"))
        if department is None:
            return _err(60003, "department not found")
        hidden = roster.PRIVATE_FIELDS if self.private_fields_hidden else ()
        members = [  # only direct members: WeCom dropped fetch_child from user/list
            {k: v for k, v in m.items() if k not in hidden}
            for m in self.members if department["id"] in m["department"]
        ]
        return _ok(userlist=members)


def _multipart_file(content_type: str, body: bytes) -> tuple[bytes, str, str] | None:
    """The "media" part of a multipart/form-data body, split by hand to keep bytes exact."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or match is None:
        return None
    for chunk in body.split(b"--" + match.group(1).encode())[1:-1]:
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = head.decode("utf-8", errors="replace")
        if re.search(r'name="media"', headers):
            name = re.search(r'filename="([^"]*)"', headers)
            ctype = re.search(r"(?im)^content-type:\s*([^\r\n;]+)", headers)
            return (
                data.removesuffix(b"\r\n"),
                ctype.group(1).strip() if ctype else "application/octet-stream",
                name.group(1) if name else "media",
            )
    return None


# -- callbacks: what WeCom POSTs to the app ----------------------------------------------


def _encrypt(
    token: str, aes_key: str, corp_id: str, text: str, timestamp: int | str, nonce: str
) -> tuple[str, str]:
    """(Encrypt, msg_signature) exactly as WeCom computes them."""
    reply = ET.fromstring(
        WeChatCrypto(token, aes_key, corp_id).encrypt_message(text, nonce, str(timestamp))
    )
    return reply.findtext("Encrypt") or "", reply.findtext("MsgSignature") or ""


def make_callback(
    crypto_token: str,
    aes_key: str,
    corp_id: str,
    xml: str,
    timestamp: int | str,
    nonce: str,
    *,
    agent_id: int = 1000002,
) -> tuple[str, bytes]:
    """(query string, body) of the encrypted POST WeCom sends for a plaintext message."""
    encrypted, signature = _encrypt(crypto_token, aes_key, corp_id, xml, timestamp, nonce)
    query = urlencode({"msg_signature": signature, "timestamp": str(timestamp), "nonce": nonce})
    body = (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        f"<Encrypt><![CDATA[{encrypted}]]></Encrypt>"
        f"<AgentID><![CDATA[{agent_id}]]></AgentID></xml>"
    )
    return query, body.encode()


def make_verify_query(
    crypto_token: str, aes_key: str, corp_id: str, echo: str, timestamp: int | str, nonce: str
) -> str:
    """The query string of WeCom's GET URL check; echostr percent-encoded as WeCom does."""
    encrypted, signature = _encrypt(crypto_token, aes_key, corp_id, echo, timestamp, nonce)
    return (
        f"msg_signature={signature}&timestamp={timestamp}&nonce={quote(nonce, safe='')}"
        f"&echostr={quote(encrypted, safe='')}"
    )


class Head(TypedDict, total=False):
    """Envelope fields every builder accepts: create_time, corp_id, agent_id."""

    create_time: int
    corp_id: str
    agent_id: int


def _message(from_user: str, msg_type: str, fields: Mapping[str, object], head: Head) -> str:
    """Plaintext callback XML: strings as CDATA, numbers bare, as WeCom writes them."""
    ordered: dict[str, object] = {
        "ToUserName": head.get("corp_id", "wwcorp"),
        "FromUserName": from_user,
        "CreateTime": head.get("create_time", 1_700_000_000),
        "MsgType": msg_type,
        **fields,
        "AgentID": head.get("agent_id", 1000002),
    }
    parts = [
        f"<{k}>{v}</{k}>" if isinstance(v, int | float) else f"<{k}><![CDATA[{v}]]></{k}>"
        for k, v in ordered.items()
    ]
    return "<xml>" + "".join(parts) + "</xml>"


def text_xml(from_user: str, content: str, *, msg_id: int = 1, **head: Unpack[Head]) -> str:
    return _message(from_user, "text", {"Content": content, "MsgId": msg_id}, head)


def image_xml(from_user: str, media_id: str, *, msg_id: int = 2, **head: Unpack[Head]) -> str:
    fields = {"PicUrl": f"https://wework.qpic.cn/{media_id}", "MediaId": media_id, "MsgId": msg_id}
    return _message(from_user, "image", fields, head)


def location_xml(
    from_user: str, lat: float, lon: float, *, label: str = "", msg_id: int = 3,
    **head: Unpack[Head],
) -> str:
    # Location_X carries the latitude, Location_Y the longitude; the map scale is 15.
    fields = {"Location_X": lat, "Location_Y": lon, "Scale": 15, "Label": label, "MsgId": msg_id}
    return _message(from_user, "location", fields, head)


def location_event_xml(
    from_user: str, lat: float, lon: float, *, precision: float = 30.0, **head: Unpack[Head]
) -> str:
    fields = {"Event": "LOCATION", "Latitude": lat, "Longitude": lon, "Precision": precision}
    return _message(from_user, "event", fields, head)


def click_xml(from_user: str, event_key: str, **head: Unpack[Head]) -> str:
    return _message(from_user, "event", {"Event": "click", "EventKey": event_key}, head)


def enter_agent_xml(from_user: str, **head: Unpack[Head]) -> str:
    return _message(from_user, "event", {"Event": "enter_agent", "EventKey": ""}, head)


def template_card_event_xml(
    from_user: str, event_key: str, task_id: str, response_code: str, **head: Unpack[Head]
) -> str:
    """A press on a button_interaction card."""
    fields = {"Event": "template_card_event", "EventKey": event_key, "TaskId": task_id}
    fields |= {"CardType": "button_interaction", "ResponseCode": response_code}
    return _message(from_user, "event", fields, head)

"""WeCom (企业微信) self-built app callbacks: verify, decrypt and parse what WeCom sends.

The HTTP glue is the adapter's job; it should answer every accepted POST with an empty
200 within 5 s (WeCom retries three times otherwise) and drop repeats by `dedupe_key`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import unquote

from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.events import (
    ClickEvent,
    EnterAgentEvent,
    LocationEvent,
)
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.enterprise.messages import (
    ImageMessage,
    LocationMessage,
    TextMessage,
)

InboundKind = Literal["text", "image", "location", "click", "enter_agent", "card_press", "unknown"]


class CallbackRejected(Exception):
    """A callback request that must not be processed (answer it with HTTP 403/400)."""


class ForgedCallback(CallbackRejected):
    """Bad or missing signature, undecryptable payload, or another corp's message."""


class StaleCallback(CallbackRejected):
    """Correctly signed, but the timestamp is outside the accepted window (a replay?)."""


def query_params(raw_query: bytes | str) -> dict[str, str]:
    """Split a raw query string; `unquote`, not `unquote_plus`, so base64 '+' survives."""
    text = (
        raw_query.decode("ascii", errors="replace") if isinstance(raw_query, bytes) else raw_query
    )
    params: dict[str, str] = {}
    for part in text.split("&"):
        if part:
            key, _, value = part.partition("=")
            params[unquote(key)] = unquote(value)
    return params


def _signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """WeCom's msg_signature: SHA-1 of the four strings sorted and concatenated."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def _required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if not value:
        raise ForgedCallback(f"missing query parameter {name!r}")
    return value


class WecomCallbackCrypto:
    """Checks and decrypts callbacks for one app (its Token, EncodingAESKey and CorpID)."""

    def __init__(
        self,
        token: str,
        aes_key: str,
        corp_id: str,
        *,
        max_age_s: float = 300,
        clock: Callable[[], float],
    ) -> None:
        try:
            key_ok = len(aes_key) == 43 and len(base64.b64decode(aes_key + "=")) == 32
        except binascii.Error:
            key_ok = False
        if not key_ok:
            raise ValueError("EncodingAESKey must be 43 base64 characters (a 32-byte key)")
        self._token = token
        self._crypto = WeChatCrypto(token, aes_key, corp_id)
        self._max_age_s = max_age_s
        self._clock = clock

    def verify_url(self, params: Mapping[str, str]) -> str:
        """Answer the GET URL check: return the decrypted echostr to send back as the body."""
        signature, timestamp, nonce = self._envelope(params)
        echostr = _required(params, "echostr")
        self._check(signature, timestamp, nonce, echostr)
        return self._open(
            lambda: self._crypto.check_signature(signature, timestamp, nonce, echostr)
        )

    def decrypt(self, params: Mapping[str, str], body: bytes) -> str:
        """Return the plaintext XML of a POSTed callback (body `<xml>…<Encrypt>…</xml>`)."""
        signature, timestamp, nonce = self._envelope(params)
        encrypted = _encrypt_field(body)
        self._check(signature, timestamp, nonce, encrypted)
        envelope = {"Encrypt": encrypted}
        return self._open(
            lambda: self._crypto.decrypt_message(envelope, signature, timestamp, nonce)
        )

    @staticmethod
    def _envelope(params: Mapping[str, str]) -> tuple[str, str, str]:
        return (
            _required(params, "msg_signature"),
            _required(params, "timestamp"),
            _required(params, "nonce"),
        )

    def _check(self, signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        # wechatpy compares with `!=`; compare in constant time before it ever runs.
        expected = _signature(self._token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected, signature.lower()):
            raise ForgedCallback("bad msg_signature")
        try:
            sent_at = int(timestamp)
        except ValueError:
            raise ForgedCallback("timestamp is not an integer") from None
        # Signed requests can still be replayed; refuse ones too old (or from the future).
        if abs(self._clock() - sent_at) > self._max_age_s:
            raise StaleCallback(f"timestamp {sent_at} is outside ±{self._max_age_s:g} s")

    @staticmethod
    def _open(decrypt: Callable[[], Any]) -> str:
        try:
            return str(decrypt())
        except InvalidCorpIdException:
            raise ForgedCallback("payload is addressed to another corp id") from None
        except Exception as exc:  # padding, base64 or length garbage: all mean "not ours"
            raise ForgedCallback(f"undecryptable payload: {type(exc).__name__}") from exc


def _encrypt_field(body: bytes) -> str:
    try:
        node = ET.fromstring(body).find("Encrypt")
    except ET.ParseError:
        raise ForgedCallback("body is not XML") from None
    if node is None or not node.text:
        raise ForgedCallback("body has no <Encrypt>")
    return node.text.strip()


@dataclass(frozen=True)
class WecomInbound:
    """One decrypted message or event, flattened; fields not in its kind are None."""

    kind: InboundKind
    from_user: str
    create_time: int
    msg_type: str
    event: str | None = None
    msg_id: str | None = None
    content: str | None = None
    media_id: str | None = None
    pic_url: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: float | None = None
    scale: str | None = None
    label: str | None = None
    event_key: str | None = None
    task_id: str | None = None
    card_type: str | None = None
    response_code: str | None = None
    agent_id: int | None = None

    @property
    def dedupe_key(self) -> str:
        """Stable across WeCom's retries: MsgId for messages, sender+time+event for events."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return (
            f"evt:{self.from_user}:{self.create_time}:{self.event or self.msg_type}"
            f":{self.event_key or ''}"
        )


def _fields(xml: str) -> dict[str, str]:
    """Top-level `<Tag>text</Tag>` pairs of a decrypted message."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from exc
    return {child.tag: (child.text or "").strip() for child in root}


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text else None
    except ValueError:
        return None


def parse(xml: str) -> WecomInbound:
    """Turn decrypted callback XML into a WecomInbound (unknown types become kind "unknown")."""
    raw = _fields(xml)
    if "MsgType" not in raw or "FromUserName" not in raw:
        raise ValueError("not a WeCom message: MsgType or FromUserName missing")
    msg = parse_message(xml)
    base: dict[str, Any] = {
        "from_user": raw["FromUserName"],
        "create_time": _int_or_none(raw.get("CreateTime")) or 0,
        "msg_type": raw["MsgType"],
        "event": raw.get("Event") or None,
        "msg_id": raw.get("MsgId") or None,
        "agent_id": _int_or_none(raw.get("AgentID")),
    }
    if isinstance(msg, TextMessage):
        return WecomInbound(kind="text", content=msg.content, **base)
    if isinstance(msg, ImageMessage):
        return WecomInbound(kind="image", media_id=msg.media_id, pic_url=msg.image, **base)
    if isinstance(msg, LocationMessage):
        # Location_X is the LATITUDE, Location_Y the longitude; both arrive as strings.
        return WecomInbound(
            kind="location",
            lat=float(msg.location_x),
            lon=float(msg.location_y),
            scale=msg.scale,
            label=msg.label,
            **base,
        )
    if isinstance(msg, LocationEvent):
        # The app's periodic "report location" event (Event=LOCATION).
        return WecomInbound(
            kind="location",
            lat=float(msg.latitude),
            lon=float(msg.longitude),
            precision=float(msg.precision),
            **base,
        )
    if isinstance(msg, ClickEvent):
        return WecomInbound(kind="click", event_key=msg.key, **base)
    if isinstance(msg, EnterAgentEvent):
        return WecomInbound(kind="enter_agent", **base)
    if raw["MsgType"] == "event" and raw.get("Event") == "template_card_event":
        # wechatpy has no class for this event and hands back UnknownMessage.
        return WecomInbound(
            kind="card_press",
            event_key=raw.get("EventKey") or None,
            task_id=raw.get("TaskId") or None,
            card_type=raw.get("CardType") or None,
            response_code=raw.get("ResponseCode") or None,
            **base,
        )
    return WecomInbound(kind="unknown", event_key=raw.get("EventKey") or None, **base)

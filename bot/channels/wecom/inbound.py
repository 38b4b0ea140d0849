"""Decrypted WeCom callbacks translated into neutral Incoming events."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from bot.channels.wecom.callback import WecomInbound
from bot.channels.wecom.cards import decode_key
from core.datum import to_wgs84
from core.dialog import Attachment, EventKind, Incoming
from core.geo import GeoPoint

CHANNEL = "wecom"
MAX_UPDATE_KEY = 200  # the inbox's key column


def greeting_key(user: str) -> str:
    """One key per user for enter_agent, so the greeting is said once, ever."""
    return f"greet:{user}"


def bounded(key: str) -> str:
    """Dedupe keys fit the inbox column; long ones (big button keys) are hashed."""
    if len(key) <= MAX_UPDATE_KEY:
        return key
    return "h:" + hashlib.sha256(key.encode()).hexdigest()


def _command(text: str) -> dict[str, Any]:
    """"/name args" as a command (name lowercase, without the slash), else plain text."""
    head, _, args = text.partition(" ")
    if len(head) < 2 or not head.startswith("/"):
        return {"kind": EventKind.TEXT, "text": text}
    return {"kind": EventKind.COMMAND, "text": text, "command": head[1:].lower(),
            "args": args.strip()}


def _fields(msg: WecomInbound, datum: str, attachment: Attachment | None) -> dict[str, Any] | None:
    if msg.kind == "text":
        return _command((msg.content or "").strip())
    if msg.kind == "image":
        return {"kind": EventKind.PHOTO, "attachment": attachment}
    if msg.kind == "location" and msg.msg_type == "location":
        # Only locations the user chose to send: the app's periodic LOCATION report answers
        # no question. WeCom's map gives GCJ-02 while checkpoints are WGS-84.
        point = to_wgs84(GeoPoint(msg.lat or 0.0, msg.lon or 0.0), datum)
        return {"kind": EventKind.LOCATION, "location": point, "text": msg.label or ""}
    if msg.kind == "click" and msg.event_key:
        name = msg.event_key.strip().lstrip("/").lower()
        return {"kind": EventKind.COMMAND, "text": f"/{name}", "command": name}
    if msg.kind == "enter_agent":
        return {"kind": EventKind.COMMAND, "text": "/start", "command": "start",
                "update_key": greeting_key(msg.from_user)}
    if msg.kind == "card_press" and msg.event_key:
        # The label rides in the key, so the handlers can show on the card what was chosen.
        data, label = decode_key(msg.event_key)
        return {"kind": EventKind.BUTTON, "button": data, "text": label,
                "handle": msg.response_code or ""}
    return None


def to_incoming(
    msg: WecomInbound, *, datum: str, attachment: Attachment | None = None
) -> Incoming | None:
    """The neutral event for a callback, or None for ones the bot does not act on."""
    fields = _fields(msg, datum, attachment)
    if fields is None:
        return None
    fields.setdefault("update_key", bounded(msg.dedupe_key))
    return Incoming(channel=CHANNEL, chat=msg.from_user, sender=msg.from_user,
                    sent_at=_sent_at(msg.create_time), **fields)


def _sent_at(create_time: int) -> datetime | None:
    """CreateTime, seconds since the epoch; None when missing or absurd."""
    try:
        return datetime.fromtimestamp(create_time, UTC) if create_time > 0 else None
    except (OverflowError, OSError, ValueError):
        return None

"""WeCom button_interaction cards: their JSON, their limits, and what a button key carries."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_CARD_BUTTONS = 6
MAX_BUTTON_KEY_BYTES = 1024
# WeCom's advice for the card's text fields; longer text is cut off on the phone.
MAX_TITLE_CHARS = 26
MAX_SUBTITLE_CHARS = 112
_TASK_ID = re.compile(r"[A-Za-z0-9_\-@]{1,128}")


@dataclass(frozen=True)
class CardButton:
    """A callback button (WeCom sends `key` back as EventKey) or, with `url`, a link."""

    text: str
    key: str = ""
    url: str = ""


def as_buttons(buttons: Sequence[tuple[str, str] | CardButton]) -> list[CardButton]:
    """Accept (key, text) pairs as well as CardButtons."""
    return [b if isinstance(b, CardButton) else CardButton(text=b[1], key=b[0]) for b in buttons]


def check_card(task_id: str, buttons: Sequence[CardButton]) -> None:
    if not _TASK_ID.fullmatch(task_id):
        raise ValueError("task_id must be 1-128 characters of [A-Za-z0-9_-@]")
    if not 1 <= len(buttons) <= MAX_CARD_BUTTONS:
        raise ValueError(f"a button card holds 1 to {MAX_CARD_BUTTONS} buttons; split it")
    keys = [b.key for b in buttons if not b.url]
    if len(set(keys)) != len(keys):
        raise ValueError("button keys must be unique within a card")
    for button in buttons:
        if not button.text:
            raise ValueError("every button needs a text")
        if not button.url and not 1 <= len(button.key.encode()) <= MAX_BUTTON_KEY_BYTES:
            raise ValueError(f"button {button.text!r}: key must be 1-{MAX_BUTTON_KEY_BYTES} bytes")


def button_card(
    task_id: str, title: str, description: str, buttons: Sequence[CardButton]
) -> dict[str, Any]:
    """The `template_card` body of message/send for a button_interaction card."""
    check_card(task_id, buttons)
    card: dict[str, Any] = {
        "card_type": "button_interaction",
        "main_title": {"title": title},
        "task_id": task_id,
        "button_list": [
            {"type": 1, "text": b.text, "style": 1, "url": b.url}
            if b.url else {"type": 0, "text": b.text, "style": 1, "key": b.key}
            for b in buttons
        ],
    }
    if description:
        card["sub_title_text"] = description
    return card


def encode_key(data: str, label: str) -> str:
    """A button key that carries the label too, so a press can grey the card out with it."""
    key = json.dumps([data, label], ensure_ascii=False, separators=(",", ":"))
    return key if len(key.encode()) <= MAX_BUTTON_KEY_BYTES else data


def decode_key(key: str) -> tuple[str, str]:
    """(button data, label) of a pressed key; keys we did not make are taken as bare data."""
    if key.startswith("["):
        try:
            value = json.loads(key)
        except ValueError:
            value = None
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
            return value[0], value[1]
    return key, ""


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"

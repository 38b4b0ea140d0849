"""Text rules of the Bot API: parse_mode checking, length limits, button data limits."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.fakes.telegram_objects import utf16_len
from tests.fakes.telegram_params import ApiError, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64

_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "code", "pre", "blockquote", "tg-emoji",
    }
)  # fmt: skip
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^<>]*)?)>")
_HTML_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MD2_MARKUP = set("_*~`|")
_MD2_LINK = re.compile(r"(?<!\\)\[((?:[^\]\\]|\\.)*)\]\((?:[^)\\]|\\.)*\)")


def render(text: str, parse_mode: str | None) -> str:
    """Return the plain text Telegram would store, or raise its "can't parse entities" error."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _render_html(text)
    if mode == "markdownv2":
        return _render_markdown_v2(text)
    if mode == "markdown":
        return re.sub(r"[*_`]", "", text)
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    return text


def check_length(text: str, *, caption: bool) -> None:
    """Raise Telegram's errors for empty or too long texts."""
    if caption:
        if utf16_len(text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")


def check_markup(markup: Any) -> None:
    """Reject malformed keyboards the way Telegram does (only the errors bots really hit)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")


def callback_data_of(markup: Any) -> list[str]:
    """All callback_data values of an inline keyboard, in reading order."""
    if not isinstance(markup, dict):
        return []
    rows = markup.get("inline_keyboard") or []
    return [str(b["callback_data"]) for row in rows for b in row if "callback_data" in b]


def _render_html(text: str) -> str:
    stack: list[str] = []
    for match in _HTML_TAG.finditer(text):
        closing, tag = match.group(1) == "/", match.group(2).lower()
        offset = len(text[: match.start()].encode("utf-8"))
        if tag not in _HTML_TAGS:
            kind = "end" if closing else "start"
            raise _entities_error(f'Unsupported {kind} tag "{tag}" at byte offset {offset}')
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            raise _entities_error(f'Unmatched end tag at byte offset {offset}, expected "</{tag}>"')
    if stack:
        raise _entities_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    plain = _HTML_TAG.sub("", text)
    if "<" in plain:
        offset = len(plain[: plain.index("<")].encode("utf-8"))
        raise _entities_error(f"Unexpected < at byte offset {offset}")
    for match in _HTML_ENTITY.finditer(plain):
        if html.unescape(match.group()) == match.group():
            raise _entities_error(f'Unsupported HTML entity "{match.group()}"')
    return html.unescape(plain)


def _render_markdown_v2(text: str) -> str:
    text = _MD2_LINK.sub(lambda m: m.group(1), text)
    out: list[str] = []
    escaped = False
    for index, char in enumerate(text):
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in _MD2_MARKUP:
            continue
        elif char == ">" and (index == 0 or text[index - 1] == "\n"):
            continue  # a blockquote marker at the start of a line
        elif char in _MD2_RESERVED:
            raise _entities_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        else:
            out.append(char)
    return "".join(out)


def _entities_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")

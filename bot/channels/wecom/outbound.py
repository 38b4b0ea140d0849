"""Neutral OutMessages rendered as WeCom app messages: text, images, files and button cards."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from bot.channels.base import RetryLater, Undeliverable
from bot.channels.ratelimit import RateLimiter, rates
from bot.channels.text import split, utf8_bytes
from bot.channels.wecom.api import SentMessage, WecomApi
from bot.channels.wecom.cards import (
    MAX_CARD_BUTTONS,
    MAX_SUBTITLE_CHARS,
    MAX_TITLE_CHARS,
    CardButton,
    encode_key,
    shorten,
)
from bot.channels.wecom.errors import WecomApiError, WecomRateLimited, WecomUnavailable
from bot.inlet import text as catalog_text
from core.buttons import link_url
from core.messages import Button, OutMessage

log = logging.getLogger(__name__)

# How messages queued before group chats were flagged (`OutMessage.group`) name one.
LEGACY_GROUP_PREFIX = "group:"
MAX_TEXT_BYTES = 2000  # WeCom cuts text at 2048 bytes; split on lines before that
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # larger pictures go out as files (limit 20 MB)
MAX_REPLACE_CHARS = 24
SENTENCE_ENDS = frozenset("。！？；：.!?;:")
# Errors of our setup rather than of one message (IP not on the trusted list, wrong
# corp id, secret or agent id): keep the messages and retry until an admin fixes it.
SETUP_ERRORS = frozenset({60020, 40013, 40001, 40056, 48002, 301002})


@dataclass(frozen=True)
class Part:
    """One WeCom API message of an OutMessage."""

    kind: str  # "text", "image", "file" or "card"
    text: str = ""
    data: bytes = b""
    filename: str = ""  # a file's name as the reader sees it
    title: str = ""
    buttons: tuple[CardButton, ...] = field(default=())


def split_text(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line ends where possible; no blank ones."""
    return [piece for piece in split(text, limit, utf8_bytes) if piece.strip()]


def card_buttons(buttons: tuple[Button, ...]) -> list[CardButton]:
    seen: set[str] = set()
    result = []
    for button in buttons:
        if url := link_url(button.data):
            result.append(CardButton(text=button.label, url=url))
        elif (key := encode_key(button.data, button.label)) not in seen:
            seen.add(key)
            result.append(CardButton(text=button.label, key=key))
    return result


def image_part(image: bytes) -> Part:
    return Part("image" if len(image) <= MAX_IMAGE_BYTES else "file", data=image)


def card_text(text: str) -> tuple[str, str] | None:
    """(title, subtitle) when the text fits on a card: a first sentence short enough for the
    title, the rest short enough for the subtitle; None when it does not fit."""
    lines = [line.strip() for line in text.splitlines() if line.strip()] or [""]
    first, rest = lines[0], "\n".join(lines[1:])
    if len(first) > MAX_TITLE_CHARS:
        ends = [i for i, c in enumerate(first[:MAX_TITLE_CHARS]) if c in SENTENCE_ENDS]
        if ends:
            title = first[: ends[-1] + 1]
            rest = "\n".join(x for x in (first[ends[-1] + 1:].strip(), rest) if x)
        else:  # one long sentence: a cut title, and all of it below
            title, rest = shorten(first, MAX_TITLE_CHARS), "\n".join(lines)
        first = title
    return (first, rest) if len(rest) <= MAX_SUBTITLE_CHARS else None


def direct_parts(text: str, buttons: tuple[Button, ...], image: bytes | None) -> list[Part]:
    """Text, picture, then buttons on cards of ≤ 6; short text goes on the first card itself."""
    cards = card_buttons(buttons)
    on_card = card_text(text) if cards else None
    parts = [] if on_card else [Part("text", text=piece) for piece in split_text(text)]
    if image is not None:
        parts.append(image_part(image))
    if on_card is None:  # the text went above: the card only needs to say what it is about
        lines = [line.strip() for line in text.splitlines() if line.strip()] + ["", ""]
        on_card = shorten(lines[0], MAX_TITLE_CHARS), shorten(lines[1], MAX_SUBTITLE_CHARS)
    title, subtitle = on_card
    chunks = [cards[i:i + MAX_CARD_BUTTONS] for i in range(0, len(cards), MAX_CARD_BUTTONS)]
    for number, chunk in enumerate(chunks, start=1):
        # Several cards for one question: number them, and say the text only once.
        more = f" ({number}/{len(chunks)})" if len(chunks) > 1 else ""
        parts.append(Part(
            "card", text=subtitle if number == 1 else "", buttons=tuple(chunk),
            title=(shorten(title, MAX_TITLE_CHARS - len(more)) or "…") + more,
        ))
    return parts


def group_parts(
    text: str, buttons: tuple[Button, ...], image: bytes | None, lang: str
) -> list[Part]:
    """Group chats take no cards: links become lines, other buttons a pointer to the app."""
    lines = [text]
    lines += [f"{b.label}: {url}" for b in buttons if (url := link_url(b.data))]
    if any(link_url(b.data) is None for b in buttons):
        lines.append(catalog_text(lang, "wecom.group_act_in_app"))
    parts = [Part("text", text=piece) for piece in split_text("\n".join(lines))]
    if image is not None:
        parts.append(image_part(image))
    return parts


def appchat_id(message: OutMessage) -> str | None:
    """The app group chat (appchat) a message goes to; None for a message to a person."""
    if message.group:
        return message.address
    if message.address.startswith(LEGACY_GROUP_PREFIX):  # a UserID never holds a colon
        return message.address.removeprefix(LEGACY_GROUP_PREFIX)
    return None


def _filename(data: bytes) -> str:
    return "photo.png" if data.startswith(b"\x89PNG") else "photo.jpg"


class WecomChannel:
    """The delivery worker's sender for WeCom: paced per recipient, resumable per part."""

    name = "wecom"

    def __init__(
        self, api: WecomApi, *, user_limit: str, group_limit: str, language: str = "zh-CN",
    ) -> None:
        self.api, self.language = api, language
        # WeCom drops what goes past its limits without a word: count on our side.
        self.users, self.groups = RateLimiter(*rates(user_limit)), RateLimiter(*rates(group_limit))
        # Parts already delivered of a message that failed half-way: a retry skips them.
        self._delivered: dict[OutMessage, int] = {}

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        try:
            # An edit reports a press on a card: greying the card out says it all.
            if message.edit and (await self._edit(message) or not message.text):
                return None  # (a card that only had to show the choice needs nothing more)
            return await self._send_parts(message, image, attachment)
        except WecomRateLimited as limited:
            raise RetryLater(limited.retry_after, str(limited)) from limited
        except WecomUnavailable as down:
            raise RetryLater(None, str(down)) from down
        except WecomApiError as error:
            if error.errcode in SETUP_ERRORS:
                log.error("WeCom refused us (%s): check the app's settings and trusted IPs", error)
                raise RetryLater(None, str(error)) from error
            self._delivered.pop(message, None)
            raise Undeliverable(str(error)) from error
        except Undeliverable:
            self._delivered.pop(message, None)
            raise

    async def _edit(self, message: OutMessage) -> bool:
        """Grey out the pressed card for everyone who got it; False when the code is spent.

        A card can only swap its buttons for one greyed-out name: the choice the handlers
        put on the edit's button, or else the last line of its text (where they say the
        outcome)."""
        last = next((ln for ln in reversed(message.text.splitlines()) if ln.strip()), "✓")
        if not message.text and message.buttons:
            last = message.buttons[0].label
        try:
            await self.api.update_button_card(
                response_code=message.edit or "", replace_name=shorten(last, MAX_REPLACE_CHARS),
                userids=[] if appchat_id(message) is not None else [message.address],
                atall=True,
            )
        except (WecomRateLimited, WecomUnavailable):
            raise
        except WecomApiError as error:  # used or older than 72 h: say it as a new message
            log.info("card update refused (%s); sending the outcome instead", error)
            return False
        return True

    def _parts(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> list[Part]:
        parts = self._message_parts(message, image)
        if message.attachment is not None and attachment is not None:
            # Uploaded as file media and sent under its name, before any card: cards come last.
            cards_at = next((i for i, p in enumerate(parts) if p.kind == "card"), len(parts))
            parts.insert(cards_at, Part("file", data=attachment, filename=message.attachment.name))
        return parts

    def _message_parts(self, message: OutMessage, image: bytes | None) -> list[Part]:
        text = message.text
        if message.request_contact:  # WeCom cannot share a phone number: no such button
            text = catalog_text(self.language, "wecom.identity_unknown")
        if appchat_id(message) is not None:
            return group_parts(text, message.buttons, image, self.language)
        return direct_parts(text, message.buttons, image)

    async def _send_parts(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        parts = self._parts(message, image, attachment)
        done = self._delivered.get(message, 0)
        chatid = appchat_id(message)
        limiter = self.users if chatid is None else self.groups
        wait = await limiter.wait_s(message.address, len(parts) - done)
        if wait > 0:
            raise RetryLater(wait, f"pacing messages to {message.address}")
        external_id = None
        for index, part in enumerate(parts[done:], start=done):
            if chatid is not None:
                await self._to_group(chatid, part)
            else:
                sent = await self._to_user(message.address, part)
                external_id = self._check(message.address, sent)
            await limiter.hit(message.address)
            self._delivered[message] = index + 1
        self._delivered.pop(message, None)
        return external_id

    @staticmethod
    def _check(address: str, sent: SentMessage) -> str:
        if address in sent.invaliduser:
            raise Undeliverable(f"WeCom cannot reach user {address!r} (not in the app's range?)")
        return sent.msgid

    async def _to_user(self, user: str, part: Part) -> SentMessage:
        if part.kind == "image":
            return await self.api.send_image(user, part.data, filename=_filename(part.data))
        if part.kind == "file":
            return await self.api.send_file(user, part.filename or _filename(part.data), part.data)
        if part.kind == "card":
            task_id = f"sl{secrets.token_hex(12)}"
            return await self.api.send_button_card(
                user, task_id=task_id, title=part.title, description=part.text,
                buttons=part.buttons,
            )
        return await self.api.send_text(user, part.text)

    async def _to_group(self, chatid: str, part: Part) -> None:
        if part.kind in ("image", "file"):
            name = part.filename or _filename(part.data)
            await self.api.appchat_send_media(chatid, part.kind, name, part.data)
        else:
            await self.api.appchat_send_text(chatid, part.text)

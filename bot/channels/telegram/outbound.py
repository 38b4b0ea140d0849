"""Rendering neutral replies as Telegram messages, and Telegram's failures as the worker's."""

from __future__ import annotations

import asyncio
import datetime as dtm
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from bot.channels.base import RetryLater, Undeliverable
from bot.channels.telegram.pacing import Pacer
from bot.channels.text import split, utf16_units
from bot.inlet import text as catalog_text
from core.buttons import link_url
from core.messages import Button, OutMessage

log = logging.getLogger(__name__)

# Both in UTF-16 code units after entity parsing, as Telegram counts them (we send no markup).
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
ROW_WIDTH = 3
ROW_CHARS = 30
READY_WAIT_S = 5.0
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


@dataclass(frozen=True)
class Part:
    """One API call of a message: a photo or a document (with or without caption) or a text."""

    text: str | None
    photo: bytes | None = None
    markup: Markup = None
    document: tuple[str, bytes] | None = None  # (file name, bytes)


def seconds(delay: int | float | dtm.timedelta) -> float:
    """retry_after is a timedelta with PTB_TIMEDELTA set, a number of seconds without."""
    return delay.total_seconds() if isinstance(delay, dtm.timedelta) else float(delay)


def handle_of(message: Message) -> str:
    """"chat:message", with ":c" when the text lives in a caption (a photo or a file)."""
    suffix = "" if message.text is not None else ":c"
    return f"{message.chat_id}:{message.message_id}{suffix}"


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """Inline buttons, packed into short rows; a link button opens its address."""
    rows: list[list[InlineKeyboardButton]] = []
    width = 0
    for button in buttons:
        if url := link_url(button.data):
            made = InlineKeyboardButton(button.label, url=url)
        else:
            made = InlineKeyboardButton(button.label, callback_data=button.data)
        if not rows or len(rows[-1]) >= ROW_WIDTH or width + len(button.label) > ROW_CHARS:
            rows.append([])
            width = 0
        rows[-1].append(made)
        width += len(button.label)
    return InlineKeyboardMarkup(rows) if rows else None


def fits(text: str, limit: int) -> bool:
    return utf16_units(text) <= limit


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split a long text at line ends where possible; Telegram refuses empty texts."""
    return [piece or "·" for piece in split(text, limit, utf16_units)]


class TelegramSender:
    """The delivery worker's Telegram channel: sends, edits, paces and classifies failures."""

    name = "telegram"

    def __init__(self, pacer: Pacer, lang: str = "zh-CN") -> None:
        self.pacer, self.lang = pacer, lang
        self.bot: Bot | None = None
        self.ready = asyncio.Event()
        # Parts already sent of a message that failed half-way, so a retry does not repeat them.
        self._progress: dict[str, list[Message]] = {}
        self._contact_keyboards: set[int] = set()

    def connect(self, bot: Bot, lang: str) -> None:
        self.bot, self.lang = bot, lang
        self.ready.set()

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        if not self.ready.is_set():  # wait_for costs a task per call: only when it must wait
            try:
                await asyncio.wait_for(self.ready.wait(), READY_WAIT_S)
            except TimeoutError:
                raise RetryLater(None, "telegram is not connected yet") from None
        assert self.bot is not None
        chat_id = int(message.address)
        try:
            if message.edit:
                return await self._edit(self.bot, chat_id, message)
            document = None
            if message.attachment is not None and attachment is not None:
                document = (message.attachment.name, attachment)
            return await self._send(self.bot, chat_id, message, image, document)
        except RetryAfter as flood:
            raise RetryLater(seconds(flood.retry_after), str(flood)) from flood
        except (Forbidden, ChatMigrated) as refused:
            self._progress.pop(_fingerprint(message), None)
            raise Undeliverable(f"telegram: {refused}") from refused
        except BadRequest as bad:
            self._progress.pop(_fingerprint(message), None)
            raise Undeliverable(f"telegram refused: {bad}") from bad
        except (NetworkError, InvalidToken) as down:  # 5xx, timeouts, a proxy's error page
            raise RetryLater(None, f"telegram: {down!r}") from down

    # -- new messages -------------------------------------------------------------------------

    def _parts(
        self, chat_id: int, message: OutMessage, image: bytes | None,
        document: tuple[str, bytes] | None = None,
    ) -> list[Part]:
        """The API calls of a message; the last carries its buttons (and is what edits change)."""
        markup: Markup = keyboard(message.buttons)
        if markup is None and message.request_contact:
            label = catalog_text(self.lang, "telegram.share_phone")
            markup = ReplyKeyboardMarkup([[KeyboardButton(label, request_contact=True)]],
                                         one_time_keyboard=True, resize_keyboard=True)
        elif markup is None and chat_id in self._contact_keyboards:
            markup = ReplyKeyboardRemove()  # the phone number was shared, or is no longer asked
        files = [Part(None, document=document)] if document is not None else []
        if document is not None and image is None and fits(message.text, CAPTION_LIMIT):
            return [Part(message.text, None, markup, document)]
        if image is not None and fits(message.text, CAPTION_LIMIT):
            return [*files, Part(message.text, image, markup)]
        texts = chunks(message.text)
        parts = [*files, Part(None, image)] if image is not None else files
        parts += [Part(text) for text in texts[:-1]]
        return [*parts, Part(texts[-1], None, markup)]

    async def _send(
        self, bot: Bot, chat_id: int, message: OutMessage, image: bytes | None,
        document: tuple[str, bytes] | None = None,
    ) -> str:
        parts = self._parts(chat_id, message, image, document)
        key = _fingerprint(message)
        done = self._progress.setdefault(key, [])
        for part in parts[len(done):]:
            await self.pacer.admit(chat_id)
            if part.photo is not None:
                sent = await bot.send_photo(chat_id, part.photo, caption=part.text,
                                            reply_markup=part.markup)
            elif part.document is not None:
                name, data = part.document
                sent = await bot.send_document(chat_id, data, filename=name,
                                               caption=part.text or None, reply_markup=part.markup)
            else:
                sent = await bot.send_message(chat_id, part.text or "·", reply_markup=part.markup)
            done.append(sent)
        self._progress.pop(key, None)
        if message.request_contact:
            self._contact_keyboards.add(chat_id)
        elif isinstance(parts[-1].markup, ReplyKeyboardRemove):
            self._contact_keyboards.discard(chat_id)
        return handle_of(done[-1])

    # -- edits ----------------------------------------------------------------------------------

    async def _edit(self, bot: Bot, chat_id: int, message: OutMessage) -> str | None:
        """Show the outcome on the message whose button was pressed, and drop its keyboard;
        an edit without text keeps the message's text and only swaps its keyboard."""
        assert message.edit is not None
        chat, _, rest = message.edit.partition(":")
        number, _, kind = rest.partition(":")
        if not (chat.lstrip("-").isdigit() and number.isdigit()):
            if not message.text:
                return None  # not a message of ours to mark: nothing to say instead
            return await self._send(bot, chat_id, _as_new(message), None)
        target, message_id = int(chat), int(number)
        markup = keyboard(message.buttons)
        await self.pacer.admit(target, counts_for_group=False)
        if not message.text:
            return await self._swap_keyboard(bot, target, message_id, markup, message.edit)
        try:
            if kind != "c" and fits(message.text, TEXT_LIMIT):
                await bot.edit_message_text(message.text, chat_id=target, message_id=message_id,
                                            reply_markup=markup)
            elif kind == "c" and fits(message.text, CAPTION_LIMIT):
                await bot.edit_message_caption(chat_id=target, message_id=message_id,
                                               caption=message.text, reply_markup=markup)
            else:  # too long to fit: retire the buttons and say it in a new message
                await bot.edit_message_reply_markup(chat_id=target, message_id=message_id)
                return await self._send(bot, chat_id, _as_new(message), None)
        except BadRequest as bad:
            text = str(bad).lower()
            if "not modified" in text:
                return message.edit
            if any(s in text for s in ("not found", "can't be edited", "no text", "no caption")):
                # Deleted, too old or of another kind: the outcome still has to be told.
                return await self._send(bot, chat_id, _as_new(message), None)
            raise
        return message.edit

    @staticmethod
    async def _swap_keyboard(
        bot: Bot, chat_id: int, message_id: int, markup: InlineKeyboardMarkup | None, handle: str,
    ) -> str:
        try:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id,
                                                reply_markup=markup)
        except BadRequest as bad:
            text = str(bad).lower()
            if not any(s in text for s in ("not modified", "not found", "can't be edited")):
                raise
            # Pressed twice, deleted or too old: the card has served all the same.
            log.info("keyboard of %s left as it is: %s", handle, bad)
        return handle

    def asks_for_contact(self, chat_id: int) -> bool:
        """Whether the chat was last shown the share-phone button (a mount's claims ask)."""
        return chat_id in self._contact_keyboards

    def disconnect(self) -> None:
        self.ready.clear()
        self.bot = None


def _as_new(message: OutMessage) -> OutMessage:
    return OutMessage(channel=message.channel, address=message.address, text=message.text,
                      person=message.person, buttons=message.buttons, ticket=message.ticket)


def _fingerprint(message: OutMessage) -> str:
    raw = (f"{message.address}\x00{message.text}\x00{message.image}\x00{message.buttons}"
           f"\x00{message.attachment}")
    return hashlib.sha256(raw.encode()).hexdigest()

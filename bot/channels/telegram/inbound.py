"""Translating Telegram updates into the handlers' neutral events (files fetched on the way)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import PurePosixPath
from typing import Any

from telegram import Bot, CallbackQuery, Chat, InlineKeyboardMarkup, Message, MessageEntity, User
from telegram.error import BadRequest, Forbidden, InvalidToken, TelegramError
from tenacity import (
    before_sleep_log,
    retry,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from bot.channels.telegram.outbound import handle_of
from bot.inlet import NotYet
from core.dialog import Attachment, EventKind, Incoming
from core.geo import GeoPoint

log = logging.getLogger(__name__)

CHANNEL = "telegram"
# getFile serves at most 20 MB to bots, whatever our own limit says.
BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
DOWNLOAD_TRIES = 3
# A file gone, too big, or a bot refused for good: trying again changes nothing.
REFUSED = (BadRequest, Forbidden, InvalidToken)


def is_group(chat: Chat) -> bool:
    return chat.type in (Chat.GROUP, Chat.SUPERGROUP)


def _base(update_id: int, message: Message, user: User, kind: EventKind, **fields: Any) -> (
        Incoming):
    return Incoming(
        CHANNEL, str(message.chat_id), str(user.id), kind, update_key=str(update_id),
        is_group=is_group(message.chat), forwarded=message.forward_origin is not None,
        sender_name=user.full_name, sent_at=message.date, **fields,
    )


def _command(message: Message, bot_username: str) -> tuple[str, str, bool] | None:
    """(command, args, whether it is for us) when the text starts with a command."""
    text = message.text or ""
    entity = next((e for e in message.entities if e.offset == 0
                   and e.type == MessageEntity.BOT_COMMAND), None)
    if entity is None:
        return None
    name, _, target = text[1:entity.length].partition("@")
    ours = not target or target.lower() == bot_username.lower()
    return name.lower(), text[entity.length:].strip(), ours


# Whether to fetch a sender's files: nothing is downloaded for a stranger.
MayFetch = Callable[[str], Awaitable[bool]]


async def _always(_sender: str) -> bool:
    return True


async def message_event(
    update_id: int, message: Message, bot: Bot, *, max_bytes: int, may_fetch: MayFetch = _always,
) -> Incoming | None:
    """The neutral event for a new message, or None when it is not for the bot."""
    user = message.from_user
    if user is None or user.is_bot:
        return None
    command = _command(message, bot.username) if message.text else None
    if command is not None:
        name, args, ours = command
        if not ours:
            return None  # "/report@another_bot" in a group
        return _base(update_id, message, user, EventKind.COMMAND, text=message.text or "",
                     command=name, args=args)
    if is_group(message.chat):
        # Only commands and buttons are for the bot in a group (the handlers say the same);
        # dropping the chatter here saves downloads and a transaction.
        return None
    if message.text is not None:
        return _base(update_id, message, user, EventKind.TEXT, text=message.text)
    if message.photo:
        largest = max(message.photo, key=lambda size: (size.width * size.height,
                                                        size.file_size or 0))
        attachment = None
        if await may_fetch(str(user.id)):
            attachment = await _fetch(bot, largest.file_id, largest.file_size, max_bytes,
                                      f"{largest.file_unique_id}.jpg", "image/jpeg")
        return _base(update_id, message, user, EventKind.PHOTO, attachment=attachment,
                     text=message.caption or "")
    if message.document is not None:
        document = None
        if await may_fetch(str(user.id)):
            document = await _document(bot, message, max_bytes)
        return _base(update_id, message, user, EventKind.DOCUMENT, attachment=document,
                     text=message.caption or "")
    location = message.location or (message.venue.location if message.venue else None)
    if location is not None:
        point = GeoPoint(location.latitude, location.longitude, location.horizontal_accuracy)
        return _base(update_id, message, user, EventKind.LOCATION, location=point,
                     live=location.live_period is not None)
    if message.contact is not None and message.contact.user_id == user.id:
        # Only one's own number (the contact button) proves anything; a forwarded card does not.
        return _base(update_id, message, user, EventKind.CONTACT,
                     phone=message.contact.phone_number)
    return _base(update_id, message, user, EventKind.OTHER)


async def button_event(update_id: int, query: CallbackQuery) -> Incoming | None:
    """The neutral event for a button press on one of our messages; its text is the label of
    the button pressed, so that the handlers can show what was chosen."""
    message = query.message
    if message is None or query.data is None:
        return None  # an inline-mode message or a game button: not ours to act on
    chat = message.chat
    if isinstance(message, Message):
        handle, label = handle_of(message), _label(message.reply_markup, query.data)
    else:
        handle, label = f"{chat.id}:{message.message_id}", ""
    return Incoming(
        CHANNEL, str(chat.id), str(query.from_user.id), EventKind.BUTTON,
        update_key=str(update_id), button=query.data, handle=handle, is_group=is_group(chat),
        sender_name=query.from_user.full_name, text=label,
    )


def _label(markup: InlineKeyboardMarkup | None, data: str) -> str:
    rows = markup.inline_keyboard if markup is not None else ()
    return next((b.text for row in rows for b in row if b.callback_data == data), "")


async def _document(bot: Bot, message: Message, max_bytes: int) -> Attachment | None:
    document = message.document
    assert document is not None
    name, mime = document.file_name or "", document.mime_type or ""
    if not (mime.startswith("image/") or PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES):
        # Not fetched: empty bytes are "not an image" to the photo store, which says so politely.
        return Attachment(b"", 0, name, mime)
    return await _fetch(bot, document.file_id, document.file_size, max_bytes, name, mime)


async def _fetch(
    bot: Bot, file_id: str, size: int | None, max_bytes: int, name: str, mime: str,
) -> Attachment | None:
    """Download a file now (Telegram's file paths expire); too large → no data, just its size.

    NotYet while Telegram cannot be reached: the stored update waits, and its photo is
    fetched once Telegram is back (file ids stay valid), rather than asked for again.
    """
    limit = min(max_bytes, BOT_API_DOWNLOAD_LIMIT)
    if size is not None and size > limit:
        return Attachment(None, size, name, mime)
    try:
        data = await _download(bot, file_id)
    except REFUSED as refused:
        log.warning("download of %s refused: %s", file_id, refused)
        return None  # the handlers ask for the photo again
    except TelegramError as exc:
        raise NotYet(f"telegram file {file_id}: {exc}") from exc
    return Attachment(data if len(data) <= limit else None, len(data), name, mime)


@retry(
    stop=stop_after_attempt(DOWNLOAD_TRIES), wait=wait_exponential(multiplier=0.5),
    # Network trouble, a flood wait, a 5xx: tried again after 0.5 s, then 1 s.
    retry=retry_if_exception_type(TelegramError) & retry_if_not_exception_type(REFUSED),
    before_sleep=before_sleep_log(log, logging.WARNING), reraise=True,
)
async def _download(bot: Bot, file_id: str) -> bytes:
    file = await bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())

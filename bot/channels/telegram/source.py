"""Stored Telegram updates turned into events for the drain, one chat's in order."""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.channels.telegram.inbound import CHANNEL, button_event, message_event
from bot.inlet import Inlet
from core.dialog import Incoming

log = logging.getLogger(__name__)


def chat_of(data: dict[str, Any]) -> str:
    """The chat an update belongs to (a press on an inline message: its presser)."""
    query = data.get("callback_query") or {}
    message = data.get("message") or query.get("message") or {}
    chat = (message.get("chat") or {}).get("id")
    if chat is not None:
        return str(chat)
    return f"user:{(query.get('from') or {}).get('id', '')}"


class TelegramSource:
    """What the drain asks of Telegram: the chat of a stored update, and its event."""

    channel = CHANNEL

    def __init__(self, inlet: Inlet, bot: Bot) -> None:
        self.inlet, self.bot = inlet, bot

    def chat_of(self, payload: str) -> str:
        try:
            data = json.loads(payload)
        except ValueError:
            return ""
        return chat_of(data) if isinstance(data, dict) else ""

    async def event_of(self, payload: str) -> Incoming | None:
        update = Update.de_json(json.loads(payload), self.bot)
        message = update.message
        costly = update.callback_query is not None or (
            message is not None and bool(message.photo or message.document))
        if costly and await self.inlet.handled(CHANNEL, str(update.update_id)):
            return None  # acted on already: no download, no answer again
        if message is not None:
            return await message_event(update.update_id, message, self.bot,
                                       max_bytes=self.inlet.max_photo_bytes,
                                       may_fetch=self._known)
        query = update.callback_query
        if query is None:
            return None
        try:
            await query.answer()  # at once, so the spinner stops; the outcome follows
        except TelegramError as exc:  # too old, or answered by another process
            log.info("could not answer callback %s: %s", query.id, exc)
        return await button_event(update.update_id, query)

    async def _known(self, sender: str) -> bool:
        return await self.inlet.knows(CHANNEL, sender)

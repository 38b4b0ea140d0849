"""Telegram, through python-telegram-bot: PTB is the transport, the handlers do the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.channels.telegram.service import TelegramPlugin


def plugin(settings: Settings) -> TelegramPlugin | None:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set."""
    if settings.telegram_bot_token is None:
        return None
    from bot.channels.telegram.service import TelegramPlugin

    return TelegramPlugin(settings)

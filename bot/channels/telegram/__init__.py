"""Telegram, through python-telegram-bot: PTB is the transport, the handlers do the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.settings import Settings
from core.plant import AccountKey, ChannelKeys

if TYPE_CHECKING:
    from bot.channels.telegram.service import TelegramPlugin

# A person's Telegram user id and a team's group chat id in plant.yaml: both numbers
# (a group's is negative).
PLANT_KEYS = ChannelKeys(
    "telegram",
    person=AccountKey("telegram_id", whole_number=True),
    team=AccountKey("telegram_chat_id", whole_number=True),
)


def plugin(settings: Settings) -> TelegramPlugin | None:
    """The Telegram channel when TELEGRAM_BOT_TOKEN is set."""
    if settings.telegram_bot_token is None:
        return None
    from bot.channels.telegram.service import TelegramPlugin

    return TelegramPlugin(settings)

"""Reaching the Bot API: PTB pointed at the server (through a proxy if need be), the token
kept out of logs, the webhook's secret and the command menu."""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from telegram import Bot, BotCommand
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.inlet import languages, text
from bot.settings import Settings

log = logging.getLogger(__name__)

MENU = ("report", "my", "status", "points", "rank", "shop", "risk", "lang", "cancel", "help")
PTBApp = Application[Any, Any, Any, Any, Any, Any]


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or one derived from the token so every process agrees on it."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value().encode()
    return hmac.new(token, b"safetyloop telegram webhook", hashlib.sha256).hexdigest()


class RedactToken(logging.Filter):
    """httpx logs every request URL at INFO, and Bot API URLs carry the token."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), ()
        return True


def redact_token_in_logs(token: str) -> None:
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(f, RedactToken) and f.token == token for f in httpx_log.filters):
        httpx_log.addFilter(RedactToken(token))


def application_builder(settings: Settings) -> ApplicationBuilder[Any, Any, Any, Any, Any, Any]:
    """PTB pointed at the Bot API server, through TELEGRAM_PROXY_URL when one is set."""
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_base_url.rstrip("/")
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .job_queue(None)  # timers are ours, persisted in the database
        .updater(None)  # updates are ours too: kept in the inbound queue before confirmed
        .media_write_timeout(60.0)
    )
    if settings.telegram_proxy_url is not None:
        # Telegram is blocked in mainland China: plants reach it through their company proxy.
        # getUpdates has its own connection pool in PTB, hence the second setting.
        proxy = settings.telegram_proxy_url.get_secret_value()
        builder = builder.proxy(proxy).get_updates_proxy(proxy)
    return builder


def menu(lang: str) -> list[BotCommand]:
    return [BotCommand(name, text(lang, f"telegram.command.{name}")) for name in MENU]


async def set_commands(bot: Bot, default_lang: str) -> None:
    """The command menu in the plant's language, and in each language Telegram users may have."""
    try:
        await bot.set_my_commands(menu(default_lang))
        for lang in languages():
            # Telegram names a user's language by its ISO 639-1 code: zh, en, vi …
            await bot.set_my_commands(menu(lang), language_code=lang.split("-")[0].lower())
    except TelegramError as exc:  # a missing menu is cosmetic: carry on serving
        log.warning("setMyCommands failed: %s", exc)

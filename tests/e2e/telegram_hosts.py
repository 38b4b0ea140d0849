"""A plant's own Telegram bot, with SafetyLoop mounted, on the fake Bot API: PTB or aiogram.

The host bot has commands and a button of its own (`/start`, `/hello` and its 👍), and
records every update that reaches its own handlers, so that a test can show SafetyLoop
took its own updates and nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakes import FakeTelegram

if TYPE_CHECKING:
    from integrations import aiogram as aiogram_mount
    from integrations import ptb as ptb_mount

HOST_WELCOME = "host: welcome"
HOST_HELLO = "host: hello"
HOST_LIKED = "host: liked"
HOST_BUTTON = "host:like"


@dataclass
class HostBot:
    """What reached the host's own handlers: update ids, in order."""

    seen: list[int] = field(default_factory=list)


@contextlib.asynccontextmanager
async def ptb_host(tg: FakeTelegram, safety: ptb_mount.SafetyLoop) -> AsyncIterator[HostBot]:
    """A python-telegram-bot application that installs SafetyLoop, polling the fake server."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import (
        Application,
        CallbackQueryHandler,
        CommandHandler,
        ContextTypes,
        TypeHandler,
    )

    host = HostBot()

    async def seen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        host.seen.append(update.update_id)

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(HOST_WELCOME)

    async def hello(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        like = InlineKeyboardButton("👍", callback_data=HOST_BUTTON)
        await update.effective_message.reply_text(
            HOST_HELLO, reply_markup=InlineKeyboardMarkup([[like]]))

    async def liked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await context.bot.send_message(query.message.chat.id, HOST_LIKED)

    application = (Application.builder().token(tg.token).base_url(tg.base_url)
                   .base_file_url(tg.base_file_url).job_queue(None).build())
    application.add_handler(TypeHandler(Update, seen), group=1)  # after the host's handlers
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("hello", hello))
    application.add_handler(CallbackQueryHandler(liked, pattern=f"^{HOST_BUTTON}$"))
    safety.install(application)
    # What run_polling does, without taking over the event loop and the signals.
    await application.initialize()
    try:
        assert application.post_init is not None and application.updater is not None
        await application.post_init(application)
        await application.updater.start_polling(poll_interval=0, timeout=2)
        await application.start()
        yield host
    finally:
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@contextlib.asynccontextmanager
async def aiogram_host(
    tg: FakeTelegram, safety: aiogram_mount.SafetyLoop,
) -> AsyncIterator[HostBot]:
    """An aiogram dispatcher that includes SafetyLoop's router, polling the fake server."""
    from aiogram import Bot, Dispatcher, F, Router
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.filters import Command, CommandStart
    from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
    from aiogram.types import Update as AiogramUpdate

    host = HostBot()
    dispatcher = Dispatcher()
    router = Router(name="host")

    async def seen(handler: Any, event: object, data: dict[str, Any]) -> Any:
        # The host's router is reached only by what SafetyLoop's router skipped.
        update = data["event_update"]
        assert isinstance(update, AiogramUpdate)
        host.seen.append(update.update_id)
        return await handler(event, data)

    router.message.outer_middleware(seen)
    router.callback_query.outer_middleware(seen)

    @router.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer(HOST_WELCOME)

    @router.message(Command("hello"))
    async def hello(message: Message) -> None:
        like = InlineKeyboardButton(text="👍", callback_data=HOST_BUTTON)
        await message.answer(HOST_HELLO, reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[like]]))

    @router.callback_query(F.data == HOST_BUTTON)
    async def liked(query: CallbackQuery) -> None:
        await query.answer()
        assert query.message is not None
        await query.message.answer(HOST_LIKED)

    dispatcher.include_router(safety.router)
    dispatcher.include_router(router)
    bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.root)))
    polling = asyncio.create_task(dispatcher.start_polling(
        bot, polling_timeout=2, handle_signals=False))
    started = asyncio.create_task(safety.wait_started())
    await asyncio.wait({polling, started}, return_when=asyncio.FIRST_COMPLETED)
    if not started.done():
        started.cancel()
        await polling  # raises what stopped the start
    try:
        yield host
    finally:
        if not polling.done():
            await dispatcher.stop_polling()
        await polling

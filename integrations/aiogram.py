"""SafetyLoop as an aiogram 3 `Router` (needs the extra: `pip install safetyloop[aiogram]`).

    safety = SafetyLoop(Settings(plant_file=..., database_url=...))
    dispatcher.include_router(safety.router)     # before the host's own routers

The router's handlers take every message and button press that is SafetyLoop's (see
`integrations.claims`), keep it in SafetyLoop's inbound queue and stop there; any other is
skipped (`SkipHandler`) and goes on to the host's routers untouched. Handlers registered on
the Dispatcher itself run before any router, so the host keeps its own in routers. SafetyLoop
starts on the dispatcher's startup event with the bot being polled (or `start(bot)` by
hand) and stops on its shutdown.
"""

from __future__ import annotations

from collections.abc import Collection

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import Update

from bot.settings import Settings
from core.plant import Plant
from core.ports import Clock
from integrations.claims import DEFAULT_COMMANDS
from integrations.mount import BotApi, Mount

__all__ = ["SafetyLoop"]


class SafetyLoop(Mount):
    """SafetyLoop's commands, conversations and buttons inside an aiogram dispatcher."""

    def __init__(
        self, settings: Settings | None = None, *, commands: Collection[str] = DEFAULT_COMMANDS,
        plant: Plant | None = None, clock: Clock | None = None, proxy_url: str | None = None,
    ) -> None:
        super().__init__(settings, commands=commands, plant=plant, clock=clock,
                         proxy_url=proxy_url)
        self.router = Router(name="safetyloop")
        self.router.message.register(self._on_update)
        self.router.callback_query.register(self._on_update)
        self.router.startup.register(self.start)
        self.router.shutdown.register(self.stop)

    async def start(self, bot: Bot) -> None:
        """Start on the host's bot: its token and API server."""
        api = bot.session.api
        if api.is_local:
            raise ValueError("SafetyLoop does not support a Bot API server in local mode")
        await self.start_with(BotApi(bot.token, _ptb_template(api.base, "/{method}"),
                                     _ptb_template(api.file, "/{path}")))

    async def _on_update(self, event: object, event_update: Update) -> None:
        # Dumped as the Bot API sent it: "from" not "from_user", dates in seconds.
        raw = event_update.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not await self.offer(raw):
            raise SkipHandler  # the host's: on to its routers


def _ptb_template(aiogram_template: str, tail: str) -> str:
    """aiogram's "…/bot{token}/{method}" as python-telegram-bot's "…/bot{token}"."""
    if not aiogram_template.endswith(tail):
        raise ValueError(f"cannot use the Bot API URL template {aiogram_template!r}")
    return aiogram_template.removesuffix(tail)

"""SafetyLoop as a handler group of an existing python-telegram-bot `Application`.

    safety = SafetyLoop(Settings(plant_file=..., database_url=...))
    safety.install(application)      # before application.run_polling() / run_webhook()

`install` adds one handler in group -1, which runs before the host's handlers (group 0 and
up): an update that is SafetyLoop's (see `integrations.claims`) is kept in SafetyLoop's
inbound queue and stops there (`ApplicationHandlerStop`); any other goes on to the host's
handlers untouched. SafetyLoop starts in the application's `post_init` and stops in its
`post_shutdown`, after whatever hooks the host set; a host that runs the application by
hand calls `await safety.start(application.bot)` and `await safety.stop()` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Coroutine
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.settings import Settings
from core.plant import Plant
from core.ports import Clock
from integrations.claims import DEFAULT_COMMANDS
from integrations.mount import Mount, bot_api

__all__ = ["SafetyLoop"]

HostApp = Application[Any, Any, Any, Any, Any, Any]
Hook = Callable[[HostApp], Coroutine[Any, Any, None]]


class SafetyLoop(Mount):
    """SafetyLoop's commands, conversations and buttons inside a PTB application."""

    def __init__(
        self, settings: Settings | None = None, *, commands: Collection[str] = DEFAULT_COMMANDS,
        group: int = -1, plant: Plant | None = None, clock: Clock | None = None,
        proxy_url: str | None = None,
    ) -> None:
        super().__init__(settings, commands=commands, plant=plant, clock=clock,
                         proxy_url=proxy_url)
        self.group = group

    def install(self, application: HostApp) -> None:
        """Add the handler group and start and stop with the application."""
        application.add_handler(TypeHandler(Update, self._on_update), group=self.group)
        application.post_init = _then(application.post_init, self._post_init)
        application.post_shutdown = _then(self._post_shutdown, application.post_shutdown)

    async def start(self, bot: Bot) -> None:
        """Start on the host's (initialized) bot: its token and API server."""
        await self.start_with(bot_api(bot.token, bot.base_url, bot.base_file_url))

    async def _post_init(self, application: HostApp) -> None:
        await self.start(application.bot)

    async def _post_shutdown(self, application: HostApp) -> None:
        await self.stop()

    async def _on_update(self, update: Update, context: object) -> None:
        if await self.offer(update.to_dict()):
            raise ApplicationHandlerStop  # SafetyLoop's: the host's handlers do not see it


def _then(first: Hook | None, second: Hook | None) -> Hook:
    async def both(application: HostApp) -> None:
        for hook in (first, second):
            if hook is not None:
                await hook(application)

    return both

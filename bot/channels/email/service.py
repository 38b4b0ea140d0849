"""The e-mail channel as `safetyloop run` serves it: a sender only, with nothing to serve."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bot.channels.email.channel import EmailChannel
from bot.inlet import Inlet


class EmailPlugin:
    """No routes and nothing to run: mail goes out through the delivery worker."""

    def __init__(self, channel: EmailChannel) -> None:
        self.channel = channel
        self.routes: list[BaseRoute] = []

    async def start(self, inlet: Inlet) -> None:
        return None

    async def stop(self) -> None:
        return None

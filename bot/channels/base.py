"""What a chat channel must do for the delivery worker, and how it reports failure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from core.messages import OutMessage

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bot.inlet import Inlet


class RetryLater(Exception):
    """The platform asked us to wait (rate limit) or is unreachable; try the same message again."""

    def __init__(self, after_s: float | None = None, reason: str = "") -> None:
        super().__init__(reason or f"retry after {after_s}s")
        self.after_s = after_s


class Undeliverable(Exception):
    """The platform refused the message for good (blocked bot, unknown chat)."""


class Channel(Protocol):
    name: str

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        """Deliver one message; returns the platform's id for it, if any.

        `image` holds the bytes of `message.image`, `attachment` those of `message.attachment`
        (a file to send under its name).
        """
        ...


class ChannelPlugin(Protocol):
    """A channel as `safetyloop run` serves it: the sender, its web endpoints, its lifecycle.

    Each package named in `bot.channels.CHANNELS` offers `plugin(settings) ->
    ChannelPlugin | None`; None means "not configured". Started, it gets the inlet.
    """

    channel: Channel
    routes: list[BaseRoute]

    async def start(self, inlet: Inlet) -> None: ...
    async def stop(self) -> None: ...

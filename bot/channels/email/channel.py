"""The delivery worker's e-mail sender: one mail per message, the address is the person's."""

from __future__ import annotations

import re

from bot.channels.base import RetryLater, Undeliverable
from bot.channels.email.compose import compose
from core.mail import MailDeferred, MailRefused
from core.messages import OutMessage
from core.ports import Mailer

# Enough to refuse what no server would take (and any header injection); the server judges the rest.
ADDRESS = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\".]+")


class EmailChannel:
    name = "email"

    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        if message.edit and not message.text:
            return None  # only a card's buttons would change: a sent mail has none to change
        if ADDRESS.fullmatch(message.address) is None:
            raise Undeliverable(f"email: not an e-mail address: {message.address!r}")
        try:
            return await self.mailer.send(compose(message, image, attachment))
        except MailDeferred as later:
            raise RetryLater(None, str(later)) from later
        except MailRefused as refused:
            raise Undeliverable(str(refused)) from refused

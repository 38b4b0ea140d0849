"""The inlet: all a channel adapter may ask of the application, and nothing more.

An adapter keeps every platform update durably (`store`) before the platform may
consider it received, then turns the stored updates into neutral events and hands
them in (`handle`), each chat's in order. It asks whether an update was acted on
already and whether a sender is known before costly work, wakes the sender after
writing messages, and reads a few facts. Catalog look-ups for the few words an
adapter says itself (a menu, a button of its own) come from here too, so adapters
import no handler module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.dialog import Incoming
from core.ports import Clock
from handlers.i18n import CATALOGS, t
from storage.inbound_queue import Inbound

__all__ = ["Inbound", "Inlet", "NotYet", "languages", "text"]


class NotYet(Exception):
    """A stored update cannot be turned into an event now (its platform is unreachable):
    keep it, and the later updates of its chat, for another try."""


class Inlet(Protocol):
    @property
    def language(self) -> str:
        """The plant's language, for words said before anyone is known."""
        ...

    @property
    def clock(self) -> Clock: ...

    @property
    def max_photo_bytes(self) -> int: ...

    def link_dm(self, channel: str, url: str) -> None:
        """Where a person opens a direct chat with the bot on this channel."""
        ...

    async def store(self, channel: str, payloads: Sequence[str]) -> None:
        """Keep raw updates durably; once this returns the platform may be told they arrived."""
        ...

    async def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        """Stored updates not yet handled, oldest first."""
        ...

    async def done(self, inbound_ids: Sequence[int]) -> None: ...

    async def handled(self, channel: str, update_key: str) -> bool:
        """Whether an update was acted on already (a platform's retry, a replay after a crash)."""
        ...

    async def knows(self, channel: str, sender: str) -> bool:
        """Whether a sender is someone of the plant, as the handlers would decide."""
        ...

    async def handle(self, event: Incoming) -> None:
        """Act on one event, once; one chat's events are acted on in the order handed in."""
        ...

    def wake(self) -> None:
        """Wake the sender: messages were written outside `handle`."""
        ...


def text(lang: str, key: str, **values: object) -> str:
    """A catalog message, for the words an adapter says itself."""
    return t(lang, key, **values)


def languages() -> tuple[str, ...]:
    """The languages the catalogs speak."""
    return tuple(CATALOGS)

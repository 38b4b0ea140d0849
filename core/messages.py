"""Neutral outgoing messages: what any channel must be able to show."""

from __future__ import annotations

from dataclasses import dataclass

from core.blobs import StoredFile


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class OutMessage:
    """One message for one chat; `edit` names a platform message to update instead of a new one.

    `group` says the address is a group chat's id (as the channel writes it), not a person's.
    `image` is a stored photo (its sha256); `attachment` a file of any kind, sent with its name.
    `lang` is the reader's language, for the few words a channel adds itself.
    """

    channel: str
    address: str
    text: str
    person: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    edit: str | None = None
    ticket: str | None = None
    request_contact: bool = False
    group: bool = False
    attachment: StoredFile | None = None
    lang: str | None = None

"""Neutral outgoing messages: what any channel must be able to show."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class OutMessage:
    """One message for one chat; `edit` names a platform message to update instead of a new one."""

    channel: str
    address: str
    text: str
    person: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    edit: str | None = None
    ticket: str | None = None
    request_contact: bool = False

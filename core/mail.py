"""An e-mail as the mailer port takes it, and the two ways a mail server can say no."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailFile:
    """A file in a mail; with a `content_id` the HTML part shows it (`cid:`) in the text."""

    name: str
    mime: str
    data: bytes
    content_id: str | None = None


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    files: tuple[MailFile, ...] = ()


class MailDeferred(Exception):
    """The server is unreachable or said "not now" (4xx): the same mail may go later."""


class MailRefused(Exception):
    """The server refused this mail for good (5xx: an unknown address, a forbidden file)."""

"""E-mail (SMTP): an outbound channel for notices that must reach people who live in their
mailbox, such as managers told of an escalation. Nothing comes in by mail.

A person's `email` in plant.yaml is their address on this channel. It is configured by
`SMTP_HOST` (with `SMTP_PORT`, `SMTP_USER`, `SMTP_PASSWORD`, `SMTP_FROM`, `SMTP_TLS`).
"""

from __future__ import annotations

from bot.channels.email.channel import EmailChannel
from bot.channels.email.service import EmailPlugin
from bot.channels.email.settings import email_settings
from bot.channels.email.smtp import SmtpMailer
from bot.settings import Settings
from core.plant import AccountKey, ChannelKeys

PLANT_KEYS = ChannelKeys("email", person=AccountKey("email"), mailbox=True)


def sender(settings: Settings) -> EmailChannel | None:
    """The mail sender when SMTP_HOST is set: it needs no serving, so the shell uses it too."""
    read = email_settings(settings)
    if not read.smtp_host:
        return None
    return EmailChannel(SmtpMailer(read))


def plugin(settings: Settings) -> EmailPlugin | None:
    """The e-mail channel when SMTP_HOST is set."""
    channel = sender(settings)
    return EmailPlugin(channel) if channel is not None else None

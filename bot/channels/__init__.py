"""Chat channel adapters: one package per platform, plus the terminal.

A channel is a package `bot/channels/NAME/` whose `__init__` offers
`plugin(settings) -> ChannelPlugin | None`, and one line below. It talks to the
application only through the inlet (`bot.inlet`).
"""

from __future__ import annotations

# The channels `safetyloop run` serves when they are configured, in start order.
CHANNELS = (
    "telegram",
    "wecom",
)

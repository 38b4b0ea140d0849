"""Chat channel adapters: one package per platform, plus the terminal.

A channel is a package `bot/channels/NAME/` whose `__init__` offers
`plugin(settings) -> ChannelPlugin | None` and `PLANT_KEYS` (a `core.plant.ChannelKeys`:
the keys it adds to people and teams in plant.yaml), and one line below. It talks to
the application only through the inlet (`bot.inlet`). A channel that only sends (e-mail)
also offers `sender(settings) -> Channel | None`: the terminal shell sends through it too.
"""

from __future__ import annotations

# The channels `safetyloop run` serves when they are configured, in start order.
CHANNELS = (
    "telegram",
    "wecom",
    "email",
)

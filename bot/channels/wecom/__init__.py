"""WeCom (企业微信): a self-built app's callbacks in, app messages and cards out.

Importing the package stays light (the API client alone serves `wecom setup` and the
roster sync); the callback server comes with `plugin`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.wecom.settings import configured, make_api
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.channels.wecom.service import WecomPlugin

__all__ = ["configured", "make_api", "plugin"]


def plugin(settings: Settings) -> WecomPlugin | None:
    """The WeCom channel when WECOM_CORP_ID, _AGENT_ID, _SECRET, _TOKEN and _AES_KEY are set."""
    if not configured(settings):
        return None
    from bot.channels.wecom.service import WecomPlugin

    return WecomPlugin(settings)

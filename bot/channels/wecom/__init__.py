"""WeCom (企业微信): a self-built app's callbacks in, app messages and cards out.

Importing the package stays light (the API client alone serves `wecom setup` and the
roster sync); the callback server comes with `plugin`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.channels.wecom.settings import configured, make_api
from bot.settings import Settings
from core.plant import AccountKey, ChannelKeys

if TYPE_CHECKING:
    from bot.channels.wecom.service import WecomPlugin

__all__ = ["CHANNEL", "GROUP_CHAT_ID", "PLANT_KEYS", "USER_ID", "configured", "make_api", "plugin"]

CHANNEL = "wecom"
# In plant.yaml: a person's UserID (账号), a team's app group chat id (`wecom setup` makes those).
USER_ID = AccountKey("wecom_id")
GROUP_CHAT_ID = AccountKey("wecom_chat_id")
PLANT_KEYS = ChannelKeys(CHANNEL, person=USER_ID, team=GROUP_CHAT_ID)


def plugin(settings: Settings) -> WecomPlugin | None:
    """The WeCom channel when WECOM_CORP_ID, _AGENT_ID, _SECRET, _TOKEN and _AES_KEY are set."""
    if not configured(settings):
        return None
    from bot.channels.wecom.service import WecomPlugin

    return WecomPlugin(settings)

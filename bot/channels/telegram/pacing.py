"""Telegram's flood limits, kept on our side: ~30 messages a second overall, 20 a minute a group."""

from __future__ import annotations

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond

from bot.channels.base import RetryLater
from bot.channels.ratelimit import RateLimiter
from bot.settings import Settings

OVERALL = "all"
# Our clock starts before the request leaves and Telegram's when it arrives: keep a margin.
SECOND_MARGIN_S = 0.1
GROUP_MARGIN_S = 1.0


class Pacer:
    """Waits briefly for the overall budget; defers a message whose group has used its minute."""

    def __init__(self, overall: RateLimitItem, per_group: RateLimitItem) -> None:
        self.overall = RateLimiter(overall, margin_s=SECOND_MARGIN_S)
        self.groups = RateLimiter(per_group, margin_s=GROUP_MARGIN_S)

    @classmethod
    def from_settings(cls, settings: Settings) -> Pacer:
        return cls(RateLimitItemPerSecond(max(1, int(settings.telegram_messages_per_second))),
                   RateLimitItemPerMinute(settings.telegram_group_messages_per_minute))

    async def admit(self, chat_id: int, *, counts_for_group: bool = True) -> None:
        """Return when one more API call may go out now; RetryLater if the group must wait."""
        if chat_id < 0 and counts_for_group:
            # Waiting up to a minute here would stall the delivery worker's whole batch;
            # handing the message back lets other chats go on while this group cools down.
            wait = await self.groups.take(str(chat_id))
            if wait:
                raise RetryLater(wait, f"group {chat_id}: over its minute budget")
        await self.overall.acquire(OVERALL)

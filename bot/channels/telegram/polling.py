"""Long polling that loses nothing: each batch is kept before the next poll confirms it.

getUpdates with a new offset tells Telegram that every update below it arrived. PTB's
Updater asks for the next batch while handlers still work on the last one, so a crash
then loses updates Telegram will never send again. Here a batch goes to the inbound
queue first; only then does the offset move on.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
from collections.abc import Callable, Sequence

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.channels.telegram.inbound import CHANNEL
from bot.inlet import Inlet

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
MAX_DELAY_S = 30.0


def _seconds(delay: int | float | dtm.timedelta) -> float:
    return delay.total_seconds() if isinstance(delay, dtm.timedelta) else float(delay)


class Poller:
    """getUpdates in a loop; each batch stored through the inlet before the offset moves."""

    def __init__(
        self, bot: Bot, inlet: Inlet, *, timeout_s: float, on_stored: Callable[[], None],
        allowed_updates: Sequence[str] = ALLOWED_UPDATES,
    ) -> None:
        self.bot, self.inlet, self.timeout_s = bot, inlet, timeout_s
        self.on_stored, self.allowed_updates = on_stored, list(allowed_updates)
        self.offset: int | None = None

    async def run(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.poll_once()
                delay = 1.0
            except RetryAfter as flood:
                await asyncio.sleep(_seconds(flood.retry_after))
            except TimedOut:
                continue  # a long poll the network cut short: ask again at once
            except (TelegramError, OSError) as exc:
                level = logging.ERROR if isinstance(exc, InvalidToken | Conflict) else (
                    logging.WARNING)
                log.log(level, "getUpdates failed (%s); retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_DELAY_S)
            except Exception:  # the database: the batch is fetched again, the offset unmoved
                log.exception("keeping fetched updates failed; retrying in %.0f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_DELAY_S)

    async def poll_once(self) -> int:
        """One getUpdates; returns how many updates were kept."""
        updates = await self.bot.get_updates(
            offset=self.offset, timeout=dtm.timedelta(seconds=self.timeout_s),
            allowed_updates=self.allowed_updates,
        )
        if not updates:
            return 0
        await self.inlet.store(CHANNEL, [u.to_json() for u in updates])
        self.offset = updates[-1].update_id + 1  # confirmed by the next getUpdates
        self.on_stored()
        return len(updates)

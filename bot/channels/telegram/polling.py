"""Long polling that loses nothing: each batch is kept before the next poll confirms it.

getUpdates with a new offset tells Telegram that every update below it arrived. PTB's
Updater asks for the next batch while handlers still work on the last one, so a crash
then loses updates Telegram will never send again. Here a batch goes to the inbound
queue first; only then does the offset move on.
"""

from __future__ import annotations

import datetime as dtm
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut
from tenacity import RetryCallState, retry, wait_exponential

from bot.channels.telegram.inbound import CHANNEL
from bot.inlet import Inlet

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
# How long past the long poll's own timeout an answer may take (PTB's default read timeout).
READ_MARGIN_S = 5.0
MAX_DELAY_S = 30.0
_backoff = wait_exponential(max=MAX_DELAY_S)


def _seconds(delay: int | float | dtm.timedelta) -> float:
    return delay.total_seconds() if isinstance(delay, dtm.timedelta) else float(delay)


def _pause(state: RetryCallState) -> float:
    """As long as Telegram asks after a flood; otherwise 1 s, doubling up to MAX_DELAY_S."""
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, RetryAfter):
        return _seconds(error.retry_after)
    return _backoff(state)


def _log_failure(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, RetryAfter):
        return  # Telegram said how long to wait: nothing is wrong
    if isinstance(error, TelegramError | OSError):
        level = logging.ERROR if isinstance(error, InvalidToken | Conflict) else logging.WARNING
        log.log(level, "getUpdates failed (%s); retrying in %.0f s", error, state.upcoming_sleep)
    else:  # the database: the batch is fetched again, the offset unmoved
        log.error("keeping fetched updates failed; retrying in %.0f s", state.upcoming_sleep,
                  exc_info=error)


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
        while True:
            await self._next_batch()

    # Any failure is tried again, for as long as it takes; the pause starts over after a success.
    @retry(wait=_pause, before_sleep=_log_failure)
    async def _next_batch(self) -> int:
        try:
            return await self.poll_once()
        except TimedOut:
            return 0  # a long poll the network cut short: ask again at once

    async def poll_once(self) -> int:
        """One getUpdates; returns how many updates were kept."""
        # Bot.get_updates would parse each update into objects only for us to serialise them
        # again to keep them (most of the CPU a poll cost); Bot._post, which it calls (the same
        # request pool, proxy, timeouts and errors), hands back the JSON as Telegram sent it,
        # as a webhook gets it. The read timeout waits out the long poll, as get_updates' does.
        updates: list[dict[str, Any]] = await self.bot._post(
            "getUpdates",
            {"offset": self.offset, "timeout": dtm.timedelta(seconds=self.timeout_s),
             "allowed_updates": self.allowed_updates},
            read_timeout=self.timeout_s + READ_MARGIN_S,
        )
        if not updates:
            return 0
        await self.inlet.store(CHANNEL, [json.dumps(update) for update in updates])
        self.offset = int(updates[-1]["update_id"]) + 1  # confirmed by the next getUpdates
        self.on_stored()
        return len(updates)

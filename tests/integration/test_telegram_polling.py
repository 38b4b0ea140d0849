"""Long polling keeps each update exactly as Telegram sent it, and confirms it (moves the
offset) only after it is kept."""

from __future__ import annotations

import json
from collections.abc import Sequence

from telegram import Bot

from bot.channels.telegram.polling import Poller
from tests.fakes import FakeTelegram

TOKEN = "123:ABC"
JSON = dict[str, object]


class KeepingInlet:
    """Only what the poller asks of the inlet: to keep updates (and whether it may yet)."""

    def __init__(self, poller: list[Poller]) -> None:
        self.kept: list[JSON] = []
        self.offsets_when_kept: list[int | None] = []
        self._poller = poller

    async def store(self, channel: str, payloads: Sequence[str]) -> None:
        assert channel == "telegram"
        self.offsets_when_kept.append(self._poller[0].offset)
        self.kept += [json.loads(p) for p in payloads]


async def test_a_poll_keeps_updates_as_sent_and_confirms_them_only_once_kept() -> None:
    async with FakeTelegram(token=TOKEN) as tg:
        user = tg.user(5001, "李伟")
        chat = tg.private_chat(user)
        points = tg.send_text(user, chat, "/points")
        hi = tg.send_text(user, chat, "hi")
        # A field this version of python-telegram-bot does not know: kept all the same.
        later = tg.inject_raw({"message": {**hi["message"], "a_later_field": {"x": [1, 2]}}})
        async with Bot(TOKEN, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
            holder: list[Poller] = []
            inlet = KeepingInlet(holder)
            poller = Poller(bot, inlet, timeout_s=0, on_stored=lambda: None)  # type: ignore[arg-type]
            holder.append(poller)
            assert await poller.poll_once() == 3
            assert inlet.offsets_when_kept == [None]         # kept before the offset moved
            assert inlet.kept == [points, hi, later]
            assert poller.offset == later["update_id"] + 1
            assert await poller.poll_once() == 0             # confirmed: not sent again
            assert tg.pending_updates == []

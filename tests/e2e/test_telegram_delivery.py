"""Delivery through Telegram's limits and outages: nothing lost, nothing sent twice, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.base import RetryLater
from bot.channels.telegram.pacing import Pacer
from bot.settings import Settings
from handlers.context import Notifier
from handlers.i18n import t
from tests.e2e.telegram_harness import Harness, jpeg, running

POINTS = t("zh-CN", "points.balance", balance=0)


def everyone_sent(h: Harness) -> bool:
    return all(row.status == "sent" for row in h.outbox())


async def test_a_429_storm_delays_messages_but_delivers_each_once_in_order(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as h:
        tg = h.tg
        tg.enable_rate_limit(per_second=4)
        tg.fail_next("sendMessage", count=3, status=429, retry_after=1)
        people = ["W01", "W03", "W04", "W05", "E01", "E02", "M01", "M02", "SL1", "SL2"]
        chats = []
        for person in people:
            user, chat = h.dm(person)
            tg.send_text(user, chat, "/points")
            tg.send_text(user, chat, "/cancel")
            chats.append(chat)
        for chat in chats:
            await tg.wait_for_messages(chat.id, 2, timeout=20)
        await tg.wait_for(lambda: everyone_sent(h), what="the outbox emptied")
        refused = tg.calls.count("sendMessage") - 2 * len(chats)
    for chat in chats:
        assert h.texts(chat) == [POINTS, t("zh-CN", "cancel.nothing")]
    assert refused > 3                                  # there was a storm of 429s


async def test_our_own_pacing_keeps_under_the_limit_without_a_single_429(tmp_path: Path) -> None:
    async with running(tmp_path, telegram_messages_per_second=5) as h:
        tg = h.tg
        tg.enable_rate_limit(per_second=5)
        chats = []
        for person in ["W01", "W03", "W04", "W05", "E01", "E02", "M01", "M02"]:
            user, chat = h.dm(person)
            tg.send_text(user, chat, "/points")
            chats.append(chat)
        for chat in chats:
            await tg.wait_for_messages(chat.id, 1, timeout=10)
        sends = tg.calls.count("sendMessage")
    assert sends == len(chats)                          # not one attempt was refused


async def test_a_group_over_its_minute_budget_is_deferred_not_blocked() -> None:
    pacer = Pacer.from_settings(Settings())             # 20 a minute a group
    for _ in range(20):
        await pacer.admit(-1001)
    with pytest.raises(RetryLater) as deferred:
        await pacer.admit(-1001)
    await pacer.admit(42)                               # other chats carry on
    await pacer.admit(-1001, counts_for_group=False)    # an edit is not a new message
    assert deferred.value.after_s is not None and 60 <= deferred.value.after_s <= 61.5
    # The window moving on is shown on a short one in tests/integration/test_telegram_pacing.py.


async def test_messages_written_while_telegram_is_down_arrive_in_order_once_it_is_back(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        tg.down()
        with h.app.services.uow() as uow:
            notify = Notifier(h.app.services, uow)
            for n in range(1, 4):
                notify.to_chat("telegram", str(chat.id), "en", "ticket.outcome_short",
                               code=f"HZ-000000-000{n}", outcome="test")
            uow.commit()
        h.app.worker.wake()
        tg.send_text(user, chat, "/points")                # waits at Telegram while it is down
        await tg.wait_for(lambda: any(r.attempts for r in h.outbox()), what="a failed attempt")
        tg.up()
        await tg.wait_for_messages(chat.id, 4, timeout=15)
        await tg.wait_for(lambda: everyone_sent(h), what="the outbox emptied")
    assert h.texts(chat) == [f"HZ-000000-000{n}: test" for n in (1, 2, 3)] + [POINTS]


async def test_the_same_update_delivered_twice_acts_once(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        points = tg.send_text(user, chat, "/points")
        await h.reply(chat, 1)
        tg.inject_raw(points)
        tg.send_text(user, chat, "/cancel")
        await h.reply(chat, 2)
        await tg.wait_for(lambda: not tg.pending_updates, what="every update taken")
    assert h.texts(chat) == [POINTS, t("zh-CN", "cancel.nothing")]


async def test_a_replayed_button_press_acts_once_even_after_a_restart(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        tg.send_text(user, chat, "/report")
        await h.said(chat, "📷")
        tg.send_photo(user, chat, jpeg())
        press = h.press(user, await h.keyboard(chat, 2))
        await h.said(chat, "📍")
        # Restarted: only the database inbox remembers the update.
        await h.plugin.stop()
        await h.plugin.start(h.app.inlet)
        await h.plugin.wait_ready()
        tg.inject_raw(press)
        tg.send_text(user, chat, "/cancel")
        await h.said(chat, t("zh-CN", "cancelled"))
    asks = [text for text in h.texts(chat) if text.startswith("📍")]
    assert len(asks) == 1

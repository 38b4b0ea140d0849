"""Group chats: commands with or without @botname, the hand-off to a DM, and team-group buttons."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.i18n import t
from tests.e2e.telegram_harness import MECH_GROUP, MOUNTS, jpeg, report_in_dm, running

LINK = "https://t.me/safetyloop_bot?start=report"


def url_buttons(message: dict[str, object]) -> list[str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return [b["url"] for row in markup.get("inline_keyboard", []) for b in row if "url" in b]


@pytest.mark.parametrize("mount", MOUNTS)
async def test_report_in_a_group_answers_with_a_button_that_opens_the_dm(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, dm = h.dm("M01")
        group = tg.group(MECH_GROUP, "机械维修班")
        tg.send_text(user, group, "/report")
        tg.send_text(user, group, "/report@safetyloop_bot")
        replies = await tg.wait_for_messages(group.id, 2)
        tg.send_text(user, dm, "/start report")                # what the deep link sends
        started = await h.said(dm, "📷")
    assert [r["text"] for r in replies] == [t("zh-CN", "group.use_dm")] * 2
    assert [url_buttons(r) for r in replies] == [[LINK], [LINK]]
    assert started["text"] == t("zh-CN", "report.ask_photo")


@pytest.mark.parametrize("mount", MOUNTS)
async def test_commands_for_other_bots_and_group_chatter_are_left_alone(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, _ = h.dm("M01")
        group = tg.group(MECH_GROUP, "机械维修班")
        tg.send_text(user, group, "/report@some_other_bot")
        tg.send_text(user, group, "今天食堂吃什么？")
        tg.send_text(user, group, "/points@SafetyLoop_Bot")   # usernames ignore case
        replies = await tg.wait_for_messages(group.id, 1)
        await tg.wait_for(lambda: not tg.pending_updates, what="every update taken")
    assert [r["text"] for r in replies] == [t("zh-CN", "points.balance", balance=0)]


@pytest.mark.parametrize("mount", MOUNTS)
async def test_team_group_buttons_work_for_the_lead_and_refuse_a_worker(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        code = await report_in_dm(h)
        card = await h.said(MECH_GROUP, code)
        worker = h.user("M01")
        tg.press(worker, card, f"t:accept:{code}")
        await h.said(MECH_GROUP, t("zh-CN", "refused.not_allowed", code=code))
        status_after_refusal = h.tickets()[0].status
        lead = h.user("TL-MECH")
        tg.press(lead, card, f"t:accept:{code}")
        await tg.wait_for(lambda: "reply_markup" not in (tg.message(MECH_GROUP, card["message_id"])
                                                          or {"reply_markup": 1}),
                          what="the card's buttons retired")
        edited = tg.message(MECH_GROUP, card["message_id"])
        ticket = h.tickets()[0]
        # The same, now stale, button pressed again from a client that has not refreshed.
        tg.press(lead, card, f"t:accept:{code}", strict=False)
        await h.said(MECH_GROUP, t("zh-CN", "refused.wrong_state", code=code))
        unanswered = dict(tg.open_callbacks)
    assert status_after_refusal == "reported"
    assert ticket.status == "acknowledged"
    assert edited is not None and "周杰" in edited["caption"]
    assert unanswered == {}


@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_button_of_a_finished_conversation_is_refused_politely(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        tg.send_text(user, chat, "/report")
        await h.said(chat, "📷")
        tg.send_photo(user, chat, jpeg())
        done = await h.keyboard(chat, 2)
        tg.send_text(user, chat, "/cancel")
        await h.said(chat, t("zh-CN", "cancelled"))
        h.press(user, done)
        await h.said(chat, t("zh-CN", "button.stale"))
        unanswered = dict(tg.open_callbacks)
    assert unanswered == {}



@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_lead_rejecting_in_the_team_group_gives_the_reason_in_private(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        code = await report_in_dm(h)
        card = await h.said(MECH_GROUP, code)
        lead, lead_dm = h.dm("TL-MECH")
        tg.press(lead, card, f"t:reject:{code}")
        await h.said(lead_dm, t("zh-CN", "followup.reason", code=code))
        tg.send_text(lead, lead_dm, "不属于机械故障，请电工处理")
        await tg.wait_for(lambda: "reply_markup" not in (tg.message(MECH_GROUP, card["message_id"])
                                                          or {"reply_markup": 1}),
                          what="the group card's buttons retired")
        reporter = await h.said(h.dm("W01")[1], "不属于机械故障")
        group_texts = h.texts(MECH_GROUP)
    assert h.tickets()[0].status == "rejected"
    assert code in reporter["text"]
    assert not any("原因" in text for text in group_texts), "the question stays out of the group"

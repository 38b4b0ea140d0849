"""SafetyLoop mounted in a plant's own bot (PTB or aiogram): it takes what is its own, the
host keeps the rest, and SafetyLoop's updates go through the durable inbound queue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from handlers.i18n import t
from storage.tables import InboundRow
from tests.e2e.telegram_harness import Harness, jpeg, report_in_dm, running
from tests.e2e.telegram_hosts import HOST_BUTTON, HOST_HELLO, HOST_LIKED, HOST_WELCOME, HostBot

HOSTS = ("ptb", "aiogram")


def host_of(h: Harness) -> HostBot:
    assert h.host is not None
    return h.host


def kept(h: Harness) -> list[int]:
    """The update ids in SafetyLoop's inbound queue, in the order they were kept."""
    with Session(h.app.engine) as session:
        rows = session.exec(select(InboundRow).order_by(col(InboundRow.id))).all()
    return [json.loads(row.payload)["update_id"] for row in rows]


@pytest.mark.parametrize("mount", HOSTS)
async def test_the_host_keeps_its_start_its_commands_its_buttons_and_its_chatter(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        start = tg.send_text(user, chat, "/start")
        welcome = await h.reply(chat, 1)
        hello = tg.send_text(user, chat, "/hello")
        card = await h.reply(chat, 2)
        like = tg.press(user, card, HOST_BUTTON)
        liked = await h.reply(chat, 3)
        chatter = tg.send_text(user, chat, "今天食堂吃什么？")
        points = tg.send_text(user, chat, "/points")            # SafetyLoop's, in between
        balance = await h.reply(chat, 4)
        await tg.wait_for(lambda: chatter["update_id"] in host_of(h).seen, what="the chatter")
        seen, queued = list(host_of(h).seen), kept(h)
    assert [welcome["text"], card["text"], liked["text"]] == [HOST_WELCOME, HOST_HELLO, HOST_LIKED]
    assert balance["text"] == t("zh-CN", "points.balance", balance=0)
    assert seen == [u["update_id"] for u in (start, hello, like, chatter)]
    assert queued == [points["update_id"]]


@pytest.mark.parametrize("mount", HOSTS)
async def test_a_whole_report_goes_to_safetyloop_and_none_of_it_to_the_host(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        code = await report_in_dm(h)
        ticket = h.tickets()[0]
        seen, queued = list(host_of(h).seen), kept(h)
    assert ticket.code == code and seen == []
    assert len(queued) == 9 and queued == sorted(queued)   # each kept, in order, before handled


@pytest.mark.parametrize("mount", HOSTS)
async def test_a_host_command_in_the_middle_of_a_report_leaves_the_report_running(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        tg.send_text(user, chat, "/report")
        await h.said(chat, "📷")
        hello = tg.send_text(user, chat, "/hello")
        await h.said(chat, HOST_HELLO)
        tg.send_photo(user, chat, jpeg())
        await h.said(chat, t("zh-CN", "report.photo_received", count=1))
        seen = list(host_of(h).seen)
    assert seen == [hello["update_id"]]


@pytest.mark.parametrize("mount", HOSTS)
async def test_a_photo_sent_right_after_report_is_safetyloops_though_the_report_has_not_begun(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        tg.send_text(user, chat, "/report")
        tg.send_photo(user, chat, jpeg())                       # before the question came
        await h.said(chat, t("zh-CN", "report.photo_received", count=1))
        seen = list(host_of(h).seen)
    assert seen == []


@pytest.mark.parametrize("mount", HOSTS)
async def test_a_stranger_asked_for_the_phone_by_safetyloop_is_bound_by_sharing_it(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        stranger = tg.user(555001, "杨帆")                     # W03 on a new phone
        chat = tg.private_chat(stranger)
        tg.send_text(stranger, chat, "/points")
        asked = await h.reply(chat, 1)
        tg.send_contact(stranger, chat, "+86 138 0000 0018")
        bound = await h.reply(chat, 2)
        seen = list(host_of(h).seen)
    assert asked["text"] == t("zh-CN", "identity.unknown")
    assert bound["text"] == t("zh-CN", "identity.bound", name="杨帆")
    assert seen == []


@pytest.mark.parametrize("mount", HOSTS)
async def test_a_strangers_photo_is_the_hosts_and_safetyloop_fetches_nothing(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        stranger = tg.user(555003, "Eve")
        chat = tg.private_chat(stranger)
        photo = tg.send_photo(stranger, chat, jpeg())
        await tg.wait_for(lambda: photo["update_id"] in host_of(h).seen, what="the photo")
        downloads, said, queued = list(tg.downloads), tg.sent(chat.id), kept(h)
    assert downloads == [] and said == [] and queued == []

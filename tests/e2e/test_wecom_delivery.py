"""Delivery to WeCom: tokens, outages, rate limits, pacing, cards and edits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from core.messages import Button, OutMessage
from storage.tables import OutboxRow
from tests.fakes.wecom_rig import W01, Rig, rig
from tests.fakes.wecom_server import text_xml

W02 = "linjiaxin"  # speaks English


def queue(r: Rig, *messages: OutMessage) -> None:
    with r.app.services.uow() as uow:
        for message in messages:
            uow.outbox.put(message, r.clock.now())
        uow.commit()


def texts(r: Rig, user: str) -> list[str]:
    return [s.payload["text"]["content"] for s in r.fake.sent[user] if s.msgtype == "text"]


async def test_an_expired_token_is_refreshed_once(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        await r.say(text_xml(W01, "/points", msg_id=1, **r.head()))
        assert r.fake.token_requests == 1
        r.fake.expire_tokens()
        await r.say(text_xml(W01, "/rank", msg_id=2, **r.head()))
        await r.say(text_xml(W01, "/my", msg_id=3, **r.head()))
        assert r.fake.token_requests == 2
        assert len(r.seen(W01)) == 3


async def test_messages_wait_out_an_outage_and_arrive_in_order_per_user(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        r.fake.down()
        for number, (user, command) in enumerate(
            [(W01, "/help"), (W02, "/points"), (W01, "/my"), (W02, "/rank"), (W01, "/points")],
            start=1,
        ):
            await r.say(text_xml(user, command, msg_id=number, **r.head()))
        r.clock.advance(timedelta(minutes=3))
        await r.app.worker.drain()  # still down: every attempt fails, nothing is lost
        assert not r.fake.sent
        r.fake.up()
        r.clock.advance(timedelta(minutes=15))
        await r.app.worker.drain()
        mine = r.seen(W01)
        assert len(mine) == 3 and "/report" in mine[0]
        assert mine[1:] == ["您还没有上报过隐患。发送 /report 开始上报。", "⭐ 您当前有 0 积分。"]
        points, ranking = r.seen(W02)
        assert points == "⭐ You have 0 points."
        # a card: its buttons switch to all time, teams, departments
        assert "Nobody has earned points yet." in ranking and "[All time]" in ranking


async def test_a_rate_limit_answer_delays_the_message_without_losing_it(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        r.fake.rate_limit_next(1)
        queue(r, OutMessage("wecom", W01, "first"), OutMessage("wecom", W01, "second"))
        await r.app.worker.drain()
        assert texts(r, W01) == []
        r.clock.advance(timedelta(seconds=61))
        await r.app.worker.drain()
        assert texts(r, W01) == ["first", "second"]


async def test_no_user_gets_more_than_thirty_messages_a_minute(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        queue(r, *(OutMessage("wecom", W01, f"n{i}") for i in range(35)),
              OutMessage("wecom", W02, "meanwhile"))
        await r.app.worker.drain()
        assert texts(r, W01) == [f"n{i}" for i in range(30)]
        assert texts(r, W02) == ["meanwhile"], "one busy user does not hold up the others"
        r.clock.advance(timedelta(seconds=30))
        await r.app.worker.drain()
        assert len(texts(r, W01)) == 30


async def test_a_users_held_back_messages_go_once_the_window_moves_on(tmp_path: Path) -> None:
    # `limits` counts on the wall clock: a window of a second stands in for the minute.
    async with rig(tmp_path, groups=False, wecom_user_rate_limit="3/second") as r:
        queue(r, *(OutMessage("wecom", W01, f"n{i}") for i in range(5)))
        await r.app.worker.drain()
        assert texts(r, W01) == ["n0", "n1", "n2"]
        await asyncio.sleep(1.1)
        r.clock.advance(timedelta(seconds=2))               # the retries are due on the app's clock
        await r.app.worker.drain()
        assert texts(r, W01) == [f"n{i}" for i in range(5)]


async def test_a_group_chat_gets_no_more_than_its_limit(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False, wecom_group_rate_limit="2/second") as r:
        r.fake.chats["ops"] = {"chatid": "ops", "name": "Ops", "userlist": [W01, W02]}
        queue(r, *(OutMessage("wecom", "ops", f"g{i}", group=True) for i in range(3)),
              OutMessage("wecom", W01, "to a person"))
        await r.app.worker.drain()
        assert [s.payload["text"]["content"] for s in r.fake.chat_messages["ops"]] == ["g0", "g1"]
        assert texts(r, W01) == ["to a person"]
        await asyncio.sleep(1.1)
        r.clock.advance(timedelta(seconds=2))
        await r.app.worker.drain()
        assert len(r.fake.chat_messages["ops"]) == 3


async def test_more_than_six_buttons_are_split_over_numbered_cards(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        buttons = tuple(Button(f"B{i}", f"d:1:v{i}") for i in range(8))
        link = Button("Manual", "url:https://example.com/manual")
        queue(r, OutMessage("wecom", W01, "Choose one:", buttons=(*buttons, link)))
        await r.app.worker.drain()
        cards = [s.payload["template_card"] for s in r.fake.sent[W01]]
        assert [c["main_title"]["title"] for c in cards] == ["Choose one: (1/2)",
                                                             "Choose one: (2/2)"]
        assert [len(c["button_list"]) for c in cards] == [6, 3]
        assert cards[1]["button_list"][-1] == {
            "type": 1, "text": "Manual", "style": 1, "url": "https://example.com/manual",
        }
        assert len({c["task_id"] for c in cards}) == 2


async def test_a_long_text_is_split_below_wecoms_limit(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        line = "隐患描述" * 20
        queue(r, OutMessage("wecom", W01, "\n".join([line] * 12)))
        await r.app.worker.drain()
        pieces = texts(r, W01)
        assert len(pieces) == 2 and all(len(p.encode()) <= 2048 for p in pieces)
        assert "\n".join(pieces) == "\n".join([line] * 12)


async def test_an_edit_with_a_spent_response_code_is_sent_as_a_message(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        queue(r, OutMessage("wecom", W01, "HZ-1 card\n\n✅ Accepted", edit="rc-spent"))
        await r.app.worker.drain()
        assert texts(r, W01) == ["HZ-1 card\n\n✅ Accepted"]
        assert not r.fake.card_updates


async def test_a_user_outside_the_apps_range_is_undeliverable(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        r.fake.invalid_users.add("leftcompany")
        queue(r, OutMessage("wecom", "leftcompany", "hello"), OutMessage("wecom", W01, "hi"))
        await r.app.worker.drain()
        with Session(r.app.engine) as session:
            rows = {row.address: row.status for row in session.exec(select(OutboxRow))}
        assert rows == {"leftcompany": "dead", W01: "sent"}


async def test_a_picture_too_big_for_an_image_message_goes_out_as_a_file(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        huge = b"\xff\xd8" + bytes(11 * 1024 * 1024)
        await r.plugin.channel.send(OutMessage("wecom", W01, "before/after", image="sha"), huge)
        assert [s.msgtype for s in r.fake.sent[W01]] == ["text", "file"]

"""A round over WeCom: /checkin typed in the app, a location from the WeCom map (GCJ-02,
converted to WGS-84 before it is judged), the checklist on cards with one item not OK."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.datum import wgs84_to_gcj02
from core.geo import GeoPoint, distance_m
from core.inspections import Answer
from scheduler.round_jobs import plan_rounds
from tests.fakes.wecom_rig import SO1, Rig, jpeg, rig
from tests.fakes.wecom_server import image_xml, location_xml, text_xml

WELD = (31.31910, 120.71990)  # CP-WELD-1 in WGS-84
ITEMS = 15
FINDING = 7  # the flashback arrestors on the acetylene cylinders


def now_head(r: Rig) -> dict[str, object]:
    """Envelope fields with CreateTime at the simulated now: a location sent just now."""
    return {**r.head(), "create_time": int(r.clock.now().timestamp())}


def card_text(card: dict[str, Any]) -> str:
    return f"{card.get('main_title', {}).get('title', '')}\n{card.get('sub_title_text', '')}"


async def test_a_round_passes_over_wecom_with_a_gcj02_location(tmp_path: Path) -> None:
    async with rig(tmp_path) as r:  # 08:10 on Sunday 29 November 2026 in the plant
        plan_rounds(r.app.services)
        await r.app.worker.drain()
        await r.say(text_xml(SO1, "/checkin", msg_id=r.next_id(), **r.head()))
        assert any("📍" in m for m in r.seen(SO1)[-2:])
        gcj = wgs84_to_gcj02(*WELD)
        # Taken as WGS-84 the map's point would be hundreds of metres off: refused if not
        # converted. An old one (CreateTime far back) is stale.
        assert distance_m(GeoPoint(*gcj), GeoPoint(*WELD)) > 300
        await r.say(location_xml(SO1, *gcj, msg_id=r.next_id(), **r.head()))
        assert "分钟前发送的" in r.seen(SO1)[-1]
        await r.say(location_xml(SO1, *gcj, label="焊接车间", msg_id=r.next_id(),
                                 **now_head(r)))
        assert any("✅ 已在 CP-WELD-1" in m for m in r.seen(SO1)[-3:]), r.seen(SO1)[-3:]
        for n in range(1, ITEMS + 1):
            assert f"[{n}/{ITEMS}]" in card_text(r.last_card(SO1, "正常"))
            if n != FINDING:
                await r.press(SO1, "正常")
                continue
            await r.press(SO1, "异常")
            await r.say(image_xml(SO1, r.fake.add_media(jpeg((200, 120, 40))),
                                  msg_id=r.next_id(), **r.head()))
            await r.say(text_xml(SO1, "3号乙炔瓶缺回火防止器", msg_id=r.next_id(), **r.head()))
            await r.press(SO1, "DB-WELD-1")
            await r.press(SO1, "消防隐患")
        assert any("正常 14 项，异常 1 项" in m for m in r.seen(SO1)[-3:]), r.seen(SO1)[-3:]
        with r.app.services.uow() as uow:
            ticket = max(uow.tickets.all(), key=lambda t: t.id or 0)
            rounds = uow.rounds.for_person("SO1", r.clock.now(), r.clock.now())
            checkin = next(c for rd in rounds for c in uow.checkins.for_round(rd.id or 0))
            answers = uow.checkins.answers(checkin.id or 0)
    assert (ticket.team, ticket.area, ticket.equipment) == ("ELEC", "WELD", "DB-WELD-1")
    assert checkin.checkpoint == "CP-WELD-1" and checkin.accuracy_m is None
    assert checkin.distance_m < 1, "the GCJ-02 point converted back lands on the checkpoint"
    failed, = [a for a in answers if a.answer is Answer.NOT_OK]
    assert (failed.item, failed.ticket) == ("WELD-R3/M2", ticket.code)

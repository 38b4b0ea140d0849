"""A round over Telegram: /checkin, a live location at the checkpoint, the checklist by
buttons with one item not OK, which becomes a ticket the electricians get."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from core.inspections import Answer
from tests.e2e.checkin_scene import open_round
from tests.e2e.telegram_harness import jpeg, running

WELD = (31.31910, 120.71990)
ITEMS = 15
FINDING = 7  # the flashback arrestors on the acetylene cylinders


async def test_a_round_passes_over_telegram_with_a_live_location(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        round_id = open_round(h.app, datetime.now(UTC))
        tg = h.tg
        officer, chat = h.dm("SO1")
        tg.send_text(officer, chat, "/checkin")
        await h.said(chat, "📍")
        tg.forward_location(officer, chat, *WELD, origin_user=h.user("SO2"))
        await h.said(chat, "转发的位置不能用于打卡")
        # Shared as a live location: it counts as sent now, whenever the sharing began.
        tg.send_location(officer, chat, *WELD, horizontal_accuracy=9.0, live_period=900)
        await h.said(chat, "✅ 已在 CP-WELD-1")
        for n in range(1, ITEMS + 1):
            item = await h.said(chat, f"[{n}/{ITEMS}]")
            if n != FINDING:
                h.press(officer, item, 1)                       # 正常
                continue
            h.press(officer, item, 2)                           # 异常
            await h.said(chat, "📷")
            tg.send_photo(officer, chat, jpeg((200, 120, 40)))
            await h.said(chat, "✍️")
            tg.send_text(officer, chat, "3号乙炔瓶缺回火防止器")
            h.press(officer, await h.said(chat, "🔧"), 3)      # DB-WELD-1
            h.press(officer, await h.said(chat, "🏷️"), 3)      # 消防隐患
        done = await h.said(chat, "检查表已完成")
        ticket, = h.tickets()
        _, lead_chat = h.dm("TL-ELEC")
        await h.said(lead_chat, ticket.code)
        with h.app.services.uow() as uow:
            checkin, = uow.checkins.for_round(round_id)
            answers = uow.checkins.answers(checkin.id or 0)
    assert "正常 14 项，异常 1 项" in done["text"] and ticket.code in done["text"]
    assert (ticket.team, ticket.area, ticket.equipment) == ("ELEC", "WELD", "DB-WELD-1")
    assert (checkin.checkpoint, checkin.accuracy_m) == ("CP-WELD-1", 9.0)
    assert checkin.distance_m < 1
    assert [a.answer for a in answers].count(Answer.OK) == ITEMS - 1
    failed, = [a for a in answers if a.answer is Answer.NOT_OK]
    assert (failed.item, failed.risk_point, failed.ticket) == ("WELD-R3/M2", "WELD-R3", ticket.code)


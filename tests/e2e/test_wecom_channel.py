"""The whole hazard loop in WeCom: encrypted callbacks in, app messages and cards out."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from pathlib import Path

from core.datum import wgs84_to_gcj02
from scheduler.jobs import run_until
from tests.fakes.wecom_rig import (
    DH_EQUIP,
    SO1,
    TL_MECH,
    W01,
    Rig,
    aes_key,
    jpeg,
    photo_sha,
    rig,
)
from tests.fakes.wecom_server import (
    click_xml,
    enter_agent_xml,
    image_xml,
    location_xml,
    make_callback,
    make_verify_query,
    text_xml,
)

CP_MACH_1 = (31.31690, 120.71975)  # WGS-84, where CNC-07 stands


async def report_hazard(r: Rig, photo: bytes) -> str:
    """W01 reports a serious mechanical hazard on CNC-07 from the WeCom app; returns its code."""
    await r.say(click_xml(W01, "report", **r.head()))
    assert "照片" in r.seen(W01)[-1]
    await r.say(image_xml(W01, r.fake.add_media(photo), msg_id=r.next_id(), **r.head()))
    assert "[照片已发完]" in r.seen(W01)[-1]
    await r.press(W01, "照片已发完")
    assert "[机加工车间]" in r.seen(W01)[-1]
    lat, lon = wgs84_to_gcj02(*CP_MACH_1)  # what the WeCom map sends for that spot
    await r.say(location_xml(W01, lat, lon, label="机加工车间", msg_id=r.next_id(), **r.head()))
    assert any("区域：机加工车间" in m for m in r.seen(W01)[-3:]), r.seen(W01)
    await r.say(text_xml(W01, "CNC-07", msg_id=r.next_id(), **r.head()))
    await r.say(text_xml(W01, "主轴防护罩破损，铁屑飞溅", msg_id=r.next_id(), **r.head()))
    await r.press(W01, "机械隐患")
    await r.press(W01, "严重")
    summary = r.seen(W01)[-1]
    assert "CNC-07" in summary and "[提交]" in summary
    assert r.fake.sent[W01][-2].msgtype == "image", "the summary shows the photo"
    await r.press(W01, "提交")
    submitted = r.seen(W01)[-1]
    assert "HZ-" in submitted and "机械维修班" in submitted
    return "HZ-" + submitted.split("HZ-")[1].split("，")[0].split(" ")[0]


async def test_a_worker_reports_with_photo_and_location_and_hears_every_step(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path) as r:
        await r.say(enter_agent_xml(W01, **r.head()))
        await r.say(enter_agent_xml(W01, **r.head()))
        greetings = [m for m in r.seen(W01) if "/report" in m]
        assert len(greetings) == 1, "enter_agent greets once, ever"

        photo = jpeg((200, 40, 40))
        code = await report_hazard(r, photo)
        assert r.fake.calls["media/get"] == 1
        with r.app.services.uow() as uow:
            ticket = uow.tickets.get(code)
        assert ticket is not None
        assert (ticket.area, ticket.equipment, ticket.team) == ("MACH", "CNC-07", "MECH")
        assert list(ticket.photos) == [photo_sha(photo)], "the photo fetched via media/get"

        # The team lead gets the ticket (text, photo, then a card), the group a notice.
        lead = r.seen(TL_MECH)
        assert any("新隐患待处理" in m and code in m for m in lead)
        assert "[接收] [拒绝] [转派]" in lead[-1]
        group = [m.payload for m in r.fake.chat_messages["wrMECH"]]
        notice = group[0]["text"]["content"]
        assert code in notice and "单聊中点击按钮" in notice
        assert group[1]["msgtype"] == "image"
        assert any("[有效] [重复] [无效]" in m for m in r.seen(SO1))

        # The lead accepts on the card (WeCom delivers the press three times).
        press, response_code = r.press_xml(TL_MECH, "接收")
        updates = len(r.fake.card_updates)
        for _ in range(3):
            await r.say(press)
        assert [u["response_code"] for u in r.fake.card_updates[updates:]] == [response_code]
        update = r.fake.card_updates[-1]
        assert update["atall"] == 1 and "周杰" in update["button"]["replace_name"]
        accepted = [m for m in r.seen(W01) if "已被 周杰 (TL-MECH) 接收" in m]
        assert len(accepted) == 1
        acts = [a.data.get("action") for a in r.audit("TicketActed") if a.subject == code]
        assert acts.count("accept") == 1

        # Nobody starts work: four hours later the department head hears of it.
        run_until(r.app.services, r.clock, r.clock.now() + timedelta(hours=5))
        await r.app.worker.drain()
        assert any("超时升级" in m and code in m for m in r.seen(DH_EQUIP))

        # The lead starts and finishes with an after photo; the reporter sees each step.
        await r.press(TL_MECH, "开始处理")
        await r.press(TL_MECH, "完成")
        await r.say(image_xml(TL_MECH, r.fake.add_media(jpeg((40, 200, 40))),
                              msg_id=r.next_id(), **r.head()))
        reporter = "\n".join(r.seen(W01))
        assert "正在处理" in reporter and "已整改完成" in reporter
        # the before/after picture, then the card that asks the reporter: fixed or not
        assert [m.msgtype for m in r.fake.sent[W01][-2:]] == ["image", "template_card"]
        assert "[已解决] [未解决]" in r.seen(W01)[-1]


async def test_the_callback_url_check_answers_the_bare_echostr(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        query = make_verify_query("cbToken42", r.aes_key, "wwfactory01", "echo-4711",
                                  int(time.time()), "n1")
        answer = await r.http.get(f"/wecom/callback?{query}")
        assert (answer.status_code, answer.text) == (200, "echo-4711")
        forged = query.replace("msg_signature=", "msg_signature=0")
        assert (await r.http.get(f"/wecom/callback?{forged}")).status_code == 403


async def test_a_forged_or_stale_callback_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        before = r.counts()
        query, body = r.encrypt(text_xml(W01, "/report", msg_id=1, **r.head()))
        forged = query.replace("msg_signature=", "msg_signature=ab")
        assert (await r.http.post(f"/wecom/callback?{forged}", content=body)).status_code == 403
        # Signed with the right token but encrypted with another app's key.
        query, body = make_callback("cbToken42", aes_key(), "wwfactory01",
                                    text_xml(W01, "/report", msg_id=2, **r.head()),
                                    int(time.time()), secrets.token_hex(4))
        assert (await r.http.post(f"/wecom/callback?{query}", content=body)).status_code == 403
        stale = await r.post(text_xml(W01, "/report", msg_id=3, **r.head()),
                             timestamp=1_600_000_000)
        assert stale.status_code == 403
        await r.settle()
        assert r.counts() == before
        assert not r.fake.sent


async def test_the_same_message_delivered_three_times_is_answered_once(tmp_path: Path) -> None:
    async with rig(tmp_path, groups=False) as r:
        xml = text_xml(W01, "/points", msg_id=991, **r.head())
        for _ in range(3):
            assert (await r.post(xml)).status_code == 200
        await r.settle()
        assert r.seen(W01) == ["⭐ 您当前有 0 积分。"]

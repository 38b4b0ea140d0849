"""Points and the shop in conversation: awards on a valid report, taken back on a later
duplicate, /points with its reasons, orders approved and rejected, every refusal, and
presses replayed or forged that change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.dialog import EventKind, Incoming
from core.ledger import EntryKind
from core.point_settings import ShopItem
from core.points import adjust_points
from core.shop import Order, OrderStatus
from tests.chat import Chat, Said, msg
from tests.databases import plant_from

ZH, EN = "zh-CN", "en"
GLOVES = "劳保手套（防割，1 双）"
PLACE = "行政部物资室（办公楼 1 楼 105）"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def give(chat: Chat, person: str, points: int) -> None:
    with chat.app.services.uow() as uow:
        adjust_points(uow, chat.plant, chat.clock, person=person, delta=points,
                      reason="测试积分", actor="ADMIN")
        uow.commit()
    chat.deliver()


def balance(chat: Chat, person: str) -> int:
    with chat.app.services.uow() as uow:
        return uow.points.balance(person)


def orders(chat: Chat) -> list[Order]:
    with chat.app.services.uow() as uow:
        return uow.shop.orders()


def taken(chat: Chat, item: str) -> int:
    with chat.app.services.uow() as uow:
        return uow.shop.taken(item)


def kinds(chat: Chat, person: str) -> list[tuple[EntryKind, int]]:
    with chat.app.services.uow() as uow:
        return [(e.kind, e.delta) for e in reversed(uow.points.entries(person, limit=50))]


def buy(chat: Chat, person: str, item: str) -> Said:
    """/shop, the item's button by its label, then Redeem."""
    chat.run(person, "/shop")
    return chat.run(person, f"!press {item}", "!press 1")


# --- points for reports


def test_a_valid_report_earns_its_points_and_points_lists_each_with_its_reason(
    chat: Chat,
) -> None:
    code = chat.report().code  # serious, at CNC-07 with a GPS location
    judged = chat.run("SO1", "!press 1")
    assert msg(ZH, "points.changed", delta="+12", code=code, balance=12) in judged.of("W01")

    statement = chat.run("W01", "/points").of("W01")
    assert statement[0] == "⭐ 您当前有 12 积分。最近的记录："
    # newest first, in plant time (09:00 in Suzhou), each with what it was for
    assert statement[1:] == [f"11-30 09:00  +2  {code} 奖励：附设备编号和定位",
                             f"11-30 09:00  +10  {code} 有效隐患报告"]
    assert chat.ticket(code).points == 12


def test_a_report_later_judged_a_duplicate_by_a_safety_officer_loses_its_points(
    chat: Chat,
) -> None:
    original = chat.report("W02").code
    chat.run("SO1", "!press 1")
    # another photo and machine, so nothing marks it a duplicate before the officer does
    code = chat.report(equipment="CNC-12", colour=(30, 60, 200)).code
    chat.run("SO1", "!press 1")  # valid: +12
    assert balance(chat, "W01") == 12
    # the officer looks again and re-judges it a duplicate of the first
    chat.run("SO1", f"!button t:duplicate:{code}", original)

    assert balance(chat, "W01") == 0
    assert chat.ticket(code).points == 0
    statement = chat.run("W01", "/points").text("W01")
    assert f"-10  {code} 收回（判为重复）：有效隐患报告" in statement
    assert f"-2  {code} 收回（判为重复）：奖励：附设备编号和定位" in statement
    assert kinds(chat, "W01") == [(EntryKind.AWARD, 10), (EntryKind.AWARD, 2),
                                  (EntryKind.REVOKE, -10), (EntryKind.REVOKE, -2)]


def test_a_replayed_or_retried_valid_press_pays_once(chat: Chat) -> None:
    code = chat.report().code
    # the officer's press, then the platform retrying the same update: acted on once
    press = Incoming("terminal", "SO1", "SO1", EventKind.BUTTON, update_key="cb-77",
                     button=f"t:valid:{code}")
    chat.app.handle(press)
    chat.app.handle(press)
    assert balance(chat, "W01") == 12
    # the same button pressed again later: refused, as the report is judged already
    replayed = chat.run("SO1", f"!button t:valid:{code}")
    assert msg(ZH, "refused.wrong_state", code=code) in replayed.of("SO1")
    assert balance(chat, "W01") == 12
    assert len(kinds(chat, "W01")) == 2


def test_grading_a_valid_report_a_major_hazard_pays_the_bonus(chat: Chat) -> None:
    code = chat.report().code
    chat.run("SO1", "!press 1")
    graded = chat.run("SM", f"/major {code}")
    assert msg(ZH, "points.changed", delta="+10", code=code, balance=22) in graded.of("W01")
    assert "奖励：发现重大事故隐患" in chat.run("W01", "/points").text("W01")


# --- the shop


def test_an_approved_order_tells_the_worker_where_to_collect_it(chat: Chat) -> None:
    chat.report()
    chat.run("SO1", "!press 1")  # 12 points
    listing = chat.run("W01", "/shop").text("W01")
    assert "🛒 积分商城（您有 12 积分）" in listing
    assert f"1. {GLOVES} — 10 积分，库存 200，每人每月限 4 件" in listing

    asked = chat.run("W01", "!press 1")
    assert msg(ZH, "shop.confirm", item=GLOVES, price=10, after=2) in asked.of("W01")
    placed = chat.run("W01", "!press 1")
    assert msg(ZH, "shop.placed", order=1, item=GLOVES, price=10, balance=2) in placed.of("W01")
    request = placed.text("ADMIN")
    assert "🛒 兑换申请 #1：马晓东 (W01) 用 10 积分兑换" in request
    assert "[1] 批准  [2] 驳回" in request
    assert (balance(chat, "W01"), taken(chat, "GLOVES")) == (2, 1)

    approved = chat.run("ADMIN", "!press 批准")
    assert msg(ZH, "shop.approved", order=1, item=GLOVES, place=PLACE) in approved.of("W01")
    [order] = orders(chat)
    assert (order.status, order.decided_by) == (OrderStatus.APPROVED, "ADMIN")
    assert f"-10  兑换 #1 {GLOVES}" in chat.run("W01", "/points").text("W01")

    # the admin's press again, and the worker's confirm again: nothing changes
    again = chat.run("ADMIN", "!button s:approve:1", "!button s:reject:1")
    assert again.of("ADMIN") == [msg(ZH, "shop.refused.decided", order=1)] * 2
    assert msg(ZH, "button.stale") in chat.run("W01", "!press 1").of("W01")
    assert len(orders(chat)) == 1
    assert (balance(chat, "W01"), taken(chat, "GLOVES")) == (2, 1)


def test_a_rejected_order_refunds_the_points_and_releases_the_stock(chat: Chat) -> None:
    give(chat, "W02", 50)  # W02 reads English
    chat.run("W02", "/shop")
    placed = chat.run("W02", "!press Safety glasses · 20 pts", "!press Redeem")
    assert msg(EN, "shop.placed", order=1, item="Safety glasses", price=20,
               balance=30) in placed.of("W02")

    asked = chat.run("ADMIN", "!press 驳回")
    assert msg(ZH, "shop.ask_reject_reason", order=1) in asked.of("ADMIN")
    assert chat.run("ADMIN", "x").of("ADMIN") == [msg(ZH, "shop.refused.reason", order=1)]
    rejected = chat.run("ADMIN", "本批次质量问题，已退货")
    assert msg(EN, "shop.rejected", order=1, item="Safety glasses", reason="本批次质量问题，已退货",
               price=20, balance=50) in rejected.of("W02")
    assert (balance(chat, "W02"), taken(chat, "GLASSES")) == (50, 0)
    assert orders(chat)[0].status is OrderStatus.REJECTED

    chat.run("ADMIN", "!button s:reject:1", "another reason")  # replayed: refused, no refund
    assert kinds(chat, "W02") == [(EntryKind.ADJUST, 50), (EntryKind.REDEEM, -20),
                                  (EntryKind.REFUND, 20)]
    statement = chat.run("W02", "/points").text("W02")
    assert "+20  refund of order #1: Safety glasses (本批次质量问题，已退货)" in statement


def test_an_order_beyond_the_balance_is_refused_politely_and_changes_nothing(
    chat: Chat,
) -> None:
    give(chat, "W01", 100)
    chat.run("W01", "/shop")
    refused = chat.run("W01", "!press 4")  # safety shoes, 120 points
    assert msg(ZH, "shop.refused.balance", item="防砸安全鞋", price=120,
               balance=100) in refused.of("W01")
    assert refused.of("ADMIN") == []
    assert (balance(chat, "W01"), orders(chat), taken(chat, "SHOES")) == (100, [], 0)


def test_the_monthly_limit_refuses_the_next_order_until_next_month(chat: Chat) -> None:
    give(chat, "W01", 100)
    buy(chat, "W01", "2")  # safety glasses: one per person a month
    refused = chat.run("W01", "/shop", "!press 2")
    assert msg(ZH, "shop.refused.monthly_limit", item="防护眼镜", limit=1) in refused.of("W01")
    assert (balance(chat, "W01"), len(orders(chat))) == (80, 1)

    chat.run("W01", "!wait 1d")  # Tuesday 1 December: a new month
    placed = buy(chat, "W01", "2")
    assert msg(ZH, "shop.placed", order=2, item="防护眼镜", price=20,
               balance=60) in placed.of("W01")


def test_the_last_of_the_stock_goes_to_the_first_and_the_next_hears_it_is_gone(
    tmp_path: Path,
) -> None:
    from tests.chat import DEMO_PLANT

    one_left = ShopItem(id="THERMOS", name="保温杯", price=10, stock=1, collect_at="前台")
    chat = Chat(tmp_path, plant=replace(plant_from(DEMO_PLANT), shop=(one_left,)))
    try:
        give(chat, "W01", 10)
        give(chat, "W03", 10)
        chat.run("W03", "/shop")  # W03 sees it in stock, and waits
        buy(chat, "W01", "1")
        refused = chat.run("W03", "!press 1")
        assert msg(ZH, "shop.refused.stock", item="保温杯") in refused.of("W03")
        assert (balance(chat, "W03"), taken(chat, "THERMOS"), len(orders(chat))) == (10, 1, 1)
        assert "保温杯 — 10 积分，库存 0" in chat.run("W03", "/shop").text("W03")
    finally:
        chat.close()


def test_forged_shop_buttons_change_nothing(chat: Chat) -> None:
    give(chat, "W01", 30)
    buy(chat, "W01", "1")
    worker = chat.run("W01", "!button s:approve:1", "!button s:reject:1")
    assert worker.of("W01") == [msg(ZH, "shop.refused.not_allowed")] * 2
    admin = chat.run("ADMIN", "!button s:approve:99", "!button s:approve:x", "!button s:give:1")
    assert admin.of("ADMIN") == [msg(ZH, "shop.refused.unknown_order", order=99),
                                 msg(ZH, "button.stale"), msg(ZH, "button.stale")]
    assert orders(chat)[0].status is OrderStatus.PENDING
    assert balance(chat, "W01") == 20


def test_the_shop_in_a_group_answers_in_the_private_chat(chat: Chat) -> None:
    give(chat, "W01", 30)
    event = Incoming("terminal", "group-prod", "W01", EventKind.COMMAND, text="/shop",
                     command="shop", is_group=True)
    chat.app.handle(event)
    said = chat.deliver()
    assert any("🛒 积分商城（您有 30 积分）" in line for line in said.of("W01"))


def test_each_request_tells_the_admin_the_stock_left_after_it(chat: Chat) -> None:
    give(chat, "W01", 30)
    first = buy(chat, "W01", "1")
    second = buy(chat, "W01", "1")
    assert "（剩余库存 199）" in first.text("ADMIN")
    assert "（剩余库存 198）" in second.text("ADMIN")


def test_a_rejection_reason_asked_before_a_restart_is_taken_after_it(chat: Chat) -> None:
    give(chat, "W01", 30)
    buy(chat, "W01", "1")
    chat.run("ADMIN", "!press 驳回")
    later = chat.restart()
    try:
        rejected = later.run("ADMIN", "尺码不对，请重新选择")
        assert msg(ZH, "shop.rejected_by_you", order=1, price=10,
                   person="马晓东 (W01)") in rejected.of("ADMIN")
        assert balance(later, "W01") == 30
    finally:
        later.close()


def test_typed_answers_work_and_wrong_ones_are_answered_politely(chat: Chat) -> None:
    give(chat, "W01", 30)
    chat.run("W01", "/shop")
    wrong = chat.run("W01", "鱼子酱")
    assert wrong.of("W01")[0] == msg(ZH, "shop.pick_invalid")
    assert "[1] " in wrong.of("W01")[1]  # the buttons again, for a client that lost them
    asked = chat.run("W01", "earplugs")  # an item's id, in any case, works as its name does
    assert msg(ZH, "shop.confirm", item="降噪耳塞（10 副）", price=5, after=25) in asked.of("W01")
    assert chat.run("W01", "也许吧").of("W01")[0] == msg(ZH, "shop.confirm_invalid")
    assert chat.run("W01", "取消").of("W01") == [msg(ZH, "shop.cancelled")]
    assert (balance(chat, "W01"), orders(chat), taken(chat, "EARPLUGS")) == (30, [], 0)

"""The points shop's use cases on in-memory fakes: what an order reserves, each refusal, the
admin's decision taken once, and an admin's adjustment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.buttons import OrderButton, decode, encode
from core.clock import SimClock
from core.events import OrderApproved, OrderPlaced, OrderRejected, PointsAdjusted
from core.ledger import EntryKind
from core.point_settings import ShopItem
from core.points import PointsRefused, adjust_points
from core.shop import OrderStatus, OrderVerb, ShopRefused, month_start
from core.shop_services import approve_order, check_order, place_order, reject_order
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant

GLOVES = ShopItem(id="GLOVES", name="手套", price=10, stock=5, monthly_limit=2,
                  collect_at="物资室")
SHOES = ShopItem(id="SHOES", name="安全鞋", price=100, stock=1)
PLANT = make_plant(shop=(GLOVES, SHOES))


def give(uow: FakeUnitOfWork, clock: SimClock, person: str, points: int) -> None:
    adjust_points(uow, PLANT, clock, person=person, delta=points, reason="开户", actor="ADMIN")


def order(uow: FakeUnitOfWork, clock: SimClock, item: str = "GLOVES", person: str = "W1") -> int:
    placed = place_order(uow, PLANT, clock, person=person, item_id=item)
    assert placed.id is not None
    return placed.id


def refusal(uow: FakeUnitOfWork, clock: SimClock, item: str, person: str = "W1") -> str:
    with pytest.raises(ShopRefused) as refused:
        place_order(uow, PLANT, clock, person=person, item_id=item)
    return refused.value.reason


def test_an_order_reserves_its_points_and_one_of_the_stock(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    give(uow, clock, "W1", 25)
    number = order(uow, clock)
    assert uow.points.balance("W1") == 15
    assert uow.shop.taken("GLOVES") == 1
    redeem = uow.points.rows[-1]
    assert (redeem.kind, redeem.delta, redeem.order, redeem.key, redeem.actor) == (
        EntryKind.REDEEM, -10, number, f"redeem:{number}", "W1")
    assert uow.recorded[-1] == OrderPlaced(number, "W1", "GLOVES", 10, actor="W1")
    assert uow.audit.rows[-1].subject == f"order:{number}"
    assert uow.points.locked[-1] == "W1"  # locked before the balance was read


def test_beyond_the_balance_is_refused_and_nothing_changes(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    give(uow, clock, "W1", 99)
    before = len(uow.points.rows)
    assert refusal(uow, clock, "SHOES") == "balance"
    assert (uow.points.balance("W1"), len(uow.points.rows)) == (99, before)
    assert (uow.shop.taken("SHOES"), uow.shop.orders()) == (0, [])


def test_out_of_stock_is_refused_whatever_the_balance(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    give(uow, clock, "W1", 100)
    give(uow, clock, "W2", 500)
    order(uow, clock, "SHOES")
    assert refusal(uow, clock, "SHOES", person="W2") == "stock"
    assert uow.points.balance("W2") == 500


def test_the_monthly_limit_counts_this_month_and_not_rejected_orders(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    give(uow, clock, "W1", 100)
    first = order(uow, clock)
    order(uow, clock)
    assert refusal(uow, clock, "GLOVES") == "monthly_limit"
    reject_order(uow, PLANT, clock, actor="ADMIN", order_id=first, reason="发错了")
    order(uow, clock)  # the rejected one no longer counts
    assert refusal(uow, clock, "GLOVES") == "monthly_limit"
    clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # 00:00 on 1 December in Suzhou
    order(uow, clock)


def test_the_month_is_the_plants_calendar_month() -> None:
    late = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 on 30 November in Suzhou
    assert month_start("Asia/Shanghai", late) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert month_start("Asia/Shanghai", late + timedelta(minutes=1)) == late + timedelta(
        minutes=1)


def test_an_unknown_item_is_refused(uow: FakeUnitOfWork, clock: SimClock) -> None:
    assert refusal(uow, clock, "CAVIAR") == "unknown_item"


def test_the_check_before_confirming_changes_nothing(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    give(uow, clock, "W1", 10)
    assert check_order(uow, PLANT, "W1", "GLOVES", T0) == GLOVES
    assert (uow.points.balance("W1"), uow.shop.taken("GLOVES")) == (10, 0)


def test_an_approved_order_is_decided_once(uow: FakeUnitOfWork, clock: SimClock) -> None:
    give(uow, clock, "W1", 10)
    number = order(uow, clock)
    approved = approve_order(uow, PLANT, clock, actor="ADMIN", order_id=number)
    assert (approved.status, approved.decided_by) == (OrderStatus.APPROVED, "ADMIN")
    assert uow.recorded[-1] == OrderApproved(number, "W1", "GLOVES", "ADMIN")
    for again in (lambda: approve_order(uow, PLANT, clock, actor="ADMIN", order_id=number),
                  lambda: reject_order(uow, PLANT, clock, actor="ADMIN", order_id=number,
                                       reason="改主意了")):
        with pytest.raises(ShopRefused) as refused:
            again()
        assert refused.value.reason == "decided"
    assert (uow.points.balance("W1"), uow.shop.taken("GLOVES")) == (0, 1)


def test_a_rejected_order_refunds_its_points_and_releases_its_stock_once(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    give(uow, clock, "W1", 10)
    number = order(uow, clock)
    reject_order(uow, PLANT, clock, actor="ADMIN", order_id=number, reason="  本月 已发完 ")
    assert uow.recorded[-1] == OrderRejected(number, "W1", "GLOVES", 10, "ADMIN", "本月 已发完")
    with pytest.raises(ShopRefused):
        reject_order(uow, PLANT, clock, actor="ADMIN", order_id=number, reason="再来一次")
    refunds = [e for e in uow.points.rows if e.kind is EntryKind.REFUND]
    assert [(e.delta, e.key) for e in refunds] == [(10, f"refund:{number}")]
    assert (uow.points.balance("W1"), uow.shop.taken("GLOVES")) == (10, 0)


@pytest.mark.parametrize(("actor", "order_id", "reason", "expected"), [
    ("W1", 1, "x" * 5, "not_allowed"),
    ("SO1", 1, "x" * 5, "not_allowed"),
    ("ADMIN", 99, "x" * 5, "unknown_order"),
    ("ADMIN", 1, " ", "reason"),
    ("ADMIN", 1, "x" * 501, "reason"),
])
def test_only_an_admin_decides_a_known_order_and_a_rejection_says_why(
    uow: FakeUnitOfWork, clock: SimClock, actor: str, order_id: int, reason: str, expected: str
) -> None:
    give(uow, clock, "W1", 10)
    order(uow, clock)
    with pytest.raises(ShopRefused) as refused:
        reject_order(uow, PLANT, clock, actor=actor, order_id=order_id, reason=reason)
    assert refused.value.reason == expected
    assert uow.shop.orders()[0].status is OrderStatus.PENDING


def test_an_admin_adjusts_points_with_a_reason_and_it_is_audited(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    assert adjust_points(uow, PLANT, clock, person="W1", delta=8, reason="安全月 竞赛",
                         actor="ADMIN") == 8
    entry = uow.points.rows[-1]
    assert (entry.kind, entry.delta, entry.reason, entry.actor, entry.key) == (
        EntryKind.ADJUST, 8, "安全月 竞赛", "ADMIN", None)
    assert uow.recorded[-1] == PointsAdjusted("W1", 8, "安全月 竞赛", "ADMIN")
    audit = uow.audit.rows[-1]
    assert (audit.actor, audit.action, audit.subject) == ("ADMIN", "PointsAdjusted", "W1")


@pytest.mark.parametrize(("person", "delta", "reason", "actor", "expected"), [
    ("W1", 5, "理由", "SO1", "not_allowed"),
    ("NOBODY", 5, "理由", "ADMIN", "unknown_person"),
    ("W1", 0, "理由", "ADMIN", "delta"),
    ("W1", 5, " ", "ADMIN", "reason"),
    ("W1", -1, "扣分", "ADMIN", "balance"),
])
def test_an_adjustment_is_refused_when_it_cannot_stand(
    uow: FakeUnitOfWork, clock: SimClock, person: str, delta: int, reason: str, actor: str,
    expected: str,
) -> None:
    with pytest.raises(PointsRefused) as refused:
        adjust_points(uow, PLANT, clock, person=person, delta=delta, reason=reason, actor=actor)
    assert refused.value.reason == expected
    assert uow.points.rows == []


# --- the admin's buttons and the shop's configuration


def test_an_order_button_reads_back_and_a_forged_one_is_nothing() -> None:
    button = OrderButton(OrderVerb.APPROVE, 7)
    assert encode(button) == "s:approve:7"
    assert decode("s:reject:12") == OrderButton(OrderVerb.REJECT, 12)
    for forged in ("s:steal:7", "s:approve:", "s:approve:-1", "s:approve:7x", "s:approve:1e3"):
        assert decode(forged) is None, forged


def test_the_shop_section_is_checked_by_path() -> None:
    items = (
        ShopItem(id="GLOVES", name="手套", price=10, stock=5),
        ShopItem(id="GLOVES", name="手套", price=0, stock=-1, monthly_limit=0),
        ShopItem(id="两 双", name=" ", price=5),
    )
    assert make_plant(shop=items).problems() == [
        ("shop[1].id", "duplicate id 'GLOVES' (already used by shop[0])"),
        ("shop[1].price", "must be from 1 to 1000000 points, got 0"),
        ("shop[1].stock", "must be from 0 to 1000000, got -1"),
        ("shop[1].monthly_limit", "must be 1 or more, got 0 (leave it out for no limit)"),
        ("shop[2].id", "'两 双' cannot be an item id: use up to 32 letters, digits, '-', '_' "
                       "or '.'"),
        ("shop[2].name", "must not be empty"),
    ]


def test_a_shop_needs_an_admin_to_approve_its_orders() -> None:
    nobody = tuple(p for p in PLANT.people if p.id != "ADMIN")
    assert make_plant(shop=(GLOVES,), people=nobody).problems() == [
        ("shop", "nobody has the role 'admin' to approve orders (give someone the role, or "
                 "leave the shop out)"),
    ]
    assert make_plant(people=nobody).problems() == []

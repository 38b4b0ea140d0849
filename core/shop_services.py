"""Use cases of the points shop: place an order, approve it, reject it (core/shop.py).

Nothing here trusts a check made earlier in Python alone: the person's account is locked
before their balance is read (`PointsLedger.lock`), the stock is taken by a conditional
update (`ShopBook.take`), a decision is stored only on an order still pending
(`ShopBook.decide`), and the ledger's keys make a redeem or a refund happen once.
"""

from __future__ import annotations

from datetime import datetime

from core.events import OrderApproved, OrderPlaced, OrderRejected
from core.ledger import EntryKind, LedgerEntry
from core.plant import Plant, Role
from core.point_settings import ShopItem
from core.points import record_about
from core.ports import Clock, UnitOfWork
from core.shop import (
    DECIDED,
    NOT_ALLOWED,
    OUT_OF_STOCK,
    REASON_CHARS,
    REASON_NEEDED,
    UNKNOWN_ITEM,
    UNKNOWN_ORDER,
    Order,
    OrderStatus,
    ShopRefused,
    month_start,
    refusal,
)


def order_subject(order_id: int) -> str:
    """What the audit log files an order's entries under."""
    return f"order:{order_id}"


def check_order(uow: UnitOfWork, plant: Plant, person: str, item_id: str,
                now: datetime) -> ShopItem:
    """The item, if the person may order it now; raises ShopRefused saying why not.

    Reads only: a worker is told before confirming, and `place_order` asks again.
    """
    item = plant.shop_by_id.get(item_id)
    if item is None:
        raise ShopRefused(UNKNOWN_ITEM)
    since = month_start(plant.timezone, now)
    reason = refusal(item, taken=uow.shop.taken(item.id), balance=uow.points.balance(person),
                     ordered_this_month=uow.shop.ordered(person, item.id, since))
    if reason is not None:
        raise ShopRefused(reason)
    return item


def place_order(
    uow: UnitOfWork, plant: Plant, clock: Clock, *, person: str, item_id: str
) -> Order:
    """Reserve the points and one of the stock, and ask the admins; raises ShopRefused."""
    now = clock.now()
    uow.points.lock(person)  # the balance and the month's orders cannot change under us now
    item = check_order(uow, plant, person, item_id, now)
    if not uow.shop.take(item.id, item.stock):
        raise ShopRefused(OUT_OF_STOCK)  # someone else took the last one a moment ago
    order = Order(person=person, item=item.id, price=item.price, created_at=now)
    uow.shop.add(order)
    assert order.id is not None
    uow.points.append(LedgerEntry(
        person=person, kind=EntryKind.REDEEM, delta=-item.price, reason=item.id, actor=person,
        at=now, order=order.id, key=f"redeem:{order.id}",
    ))
    event = OrderPlaced(order.id, person, item.id, item.price, actor=person)
    record_about(uow, now, event, subject=order_subject(order.id))
    return order


def check_decision(uow: UnitOfWork, plant: Plant, actor: str, order_id: int) -> Order:
    """The order, if this person may decide it now; raises ShopRefused saying why not."""
    person = plant.person(actor)
    if person is None or not person.has(Role.ADMIN):
        raise ShopRefused(NOT_ALLOWED)
    order = uow.shop.get(order_id)
    if order is None:
        raise ShopRefused(UNKNOWN_ORDER)
    if order.status is not OrderStatus.PENDING:
        raise ShopRefused(DECIDED)
    return order


def approve_order(uow: UnitOfWork, plant: Plant, clock: Clock, *, actor: str,
                  order_id: int) -> Order:
    order = _decide(uow, plant, clock, actor, order_id, OrderStatus.APPROVED, None)
    event = OrderApproved(order_id, order.person, order.item, actor)
    record_about(uow, clock.now(), event, subject=order_subject(order_id))
    return order


def reject_order(uow: UnitOfWork, plant: Plant, clock: Clock, *, actor: str, order_id: int,
                 reason: str) -> Order:
    """Refund the points and release the stock; the reason is told to the worker."""
    words = " ".join(reason.split())
    if not REASON_CHARS[0] <= len(words) <= REASON_CHARS[1]:
        raise ShopRefused(REASON_NEEDED)
    order = _decide(uow, plant, clock, actor, order_id, OrderStatus.REJECTED, words)
    now = clock.now()
    uow.shop.give_back(order.item)
    uow.points.append(LedgerEntry(
        person=order.person, kind=EntryKind.REFUND, delta=order.price, reason=words,
        actor=actor, at=now, order=order_id, key=f"refund:{order_id}",
    ))
    event = OrderRejected(order_id, order.person, order.item, order.price, actor, words)
    record_about(uow, now, event, subject=order_subject(order_id))
    return order


def _decide(uow: UnitOfWork, plant: Plant, clock: Clock, actor: str, order_id: int,
            status: OrderStatus, reason: str | None) -> Order:
    order = check_decision(uow, plant, actor, order_id)
    order.status, order.reason = status, reason
    order.decided_at, order.decided_by = clock.now(), actor
    if not uow.shop.decide(order):
        raise ShopRefused(DECIDED)  # another admin decided it between our read and write
    return order

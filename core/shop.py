"""The points shop: orders for the items plant.yaml's `shop` lists, and why one is refused.

An order reserves its points (a `redeem` entry in the ledger) and one of the item's stock
when it is placed; an admin approves it (handed out where the item is collected) or
rejects it with a reason (the points come back as a `refund`, the stock is released).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.point_settings import ShopItem


class OrderStatus(StrEnum):
    PENDING = "pending"  # points and stock reserved, waiting for an admin
    APPROVED = "approved"  # to be (or was) handed out where the item is collected
    REJECTED = "rejected"  # points refunded, stock released


class OrderVerb(StrEnum):
    """What an admin's button does to an order."""

    APPROVE = "approve"
    REJECT = "reject"


class ShopRefused(Exception):
    """The shop cannot do it; `reason` names the message (`shop.refused.<reason>`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# The refusals, each its own message: the worker is told which it is.
UNKNOWN_ITEM = "unknown_item"
OUT_OF_STOCK = "stock"
BALANCE = "balance"
MONTHLY_LIMIT = "monthly_limit"
NOT_ALLOWED = "not_allowed"
UNKNOWN_ORDER = "unknown_order"
DECIDED = "decided"
REASON_NEEDED = "reason"

# A rejection's reason, as typed: long enough to say something, short enough for a chat.
REASON_CHARS = (2, 500)


@dataclass
class Order:
    person: str
    item: str
    price: int  # as it was when ordered: a later price change does not touch it
    created_at: datetime
    status: OrderStatus = OrderStatus.PENDING
    decided_at: datetime | None = None
    decided_by: str | None = None
    reason: str | None = None
    id: int | None = None


def available(item: ShopItem, taken: int) -> int:
    """How many are left to order: the stock put in the shop less those taken."""
    return max(0, item.stock - taken)


def month_start(timezone: str, now: datetime) -> datetime:
    """The first instant of the plant's calendar month that holds `now`."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def refusal(item: ShopItem, *, taken: int, balance: int, ordered_this_month: int) -> str | None:
    """Why this order cannot be placed (a refusal reason), or None; stock first, since
    nothing else helps while there is none."""
    if available(item, taken) < 1:
        return OUT_OF_STOCK
    if balance < item.price:
        return BALANCE
    if item.monthly_limit is not None and ordered_this_month >= item.monthly_limit:
        return MONTHLY_LIMIT
    return None

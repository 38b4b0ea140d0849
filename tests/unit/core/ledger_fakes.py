"""In-memory fakes of the points ledger and the shop book (core/ports.py), for core tests."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.ledger import EntryKind, LedgerEntry
from core.shop import Order, OrderStatus

_EARNED = (EntryKind.AWARD, EntryKind.REVOKE, EntryKind.ADJUST)


class FakePointsLedger:
    """Keys are unique, as the database's index makes them; `locked` notes who was locked."""

    def __init__(self) -> None:
        self.rows: list[LedgerEntry] = []
        self.locked: list[str] = []

    def append(self, entry: LedgerEntry) -> bool:
        if entry.key is not None and any(row.key == entry.key for row in self.rows):
            return False
        self.rows.append(replace(entry, id=len(self.rows) + 1))
        return True

    def lock(self, person: str) -> None:
        self.locked.append(person)

    def balance(self, person: str) -> int:
        return sum(row.delta for row in self.rows if row.person == person)

    def entries(self, person: str, limit: int = 10) -> list[LedgerEntry]:
        return [row for row in reversed(self.rows) if row.person == person][:limit]

    def of_ticket(self, code: str) -> list[LedgerEntry]:
        return [row for row in self.rows if row.ticket == code]

    def ranking(self) -> list[tuple[str, int]]:
        totals: dict[str, int] = {}
        for row in self.rows:
            if row.kind in _EARNED:
                totals[row.person] = totals.get(row.person, 0) + row.delta
        ranked = [(person, total) for person, total in totals.items() if total > 0]
        return sorted(ranked, key=lambda pair: (-pair[1], pair[0]))


class FakeShopBook:
    def __init__(self) -> None:
        self.rows: dict[int, Order] = {}
        self.taken_by_item: dict[str, int] = {}

    def add(self, order: Order) -> None:
        order.id = len(self.rows) + 1
        self.rows[order.id] = copy.deepcopy(order)

    def get(self, order_id: int) -> Order | None:
        return copy.deepcopy(self.rows.get(order_id))

    def decide(self, order: Order) -> bool:
        stored = self.rows.get(order.id or 0)
        if stored is None or stored.status is not OrderStatus.PENDING:
            return False
        self.rows[stored.id or 0] = copy.deepcopy(order)
        return True

    def taken(self, item: str) -> int:
        return self.taken_by_item.get(item, 0)

    def take(self, item: str, stock: int) -> bool:
        if self.taken(item) >= stock:
            return False
        self.taken_by_item[item] = self.taken(item) + 1
        return True

    def give_back(self, item: str) -> None:
        self.taken_by_item[item] = max(0, self.taken(item) - 1)

    def ordered(self, person: str, item: str, since: datetime) -> int:
        return sum(1 for o in self.rows.values()
                   if o.person == person and o.item == item and o.created_at >= since
                   and o.status is not OrderStatus.REJECTED)

    def orders(self, statuses: Sequence[OrderStatus] | None = None) -> list[Order]:
        return [copy.deepcopy(o) for _, o in sorted(self.rows.items())
                if statuses is None or o.status in statuses]

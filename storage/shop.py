"""Shop orders and stock in SQL. Stock moves and decisions are conditional updates: the
database, not a check read earlier, decides whether one is left or an order still pending.
They go past the ORM, so reads ask for fresh rows rather than the session's copies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Update, func, update
from sqlmodel import Session, col, select

from core.shop import Order, OrderStatus
from storage.ledger import insert_once
from storage.tables import ShopOrderRow, ShopStockRow


def to_order(row: ShopOrderRow) -> Order:
    assert row.id is not None
    return Order(
        id=row.id, person=row.person, item=row.item, price=row.price,
        status=OrderStatus(row.status), created_at=row.created_at, decided_at=row.decided_at,
        decided_by=row.decided_by, reason=row.reason,
    )


class SqlShopBook:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, order: Order) -> None:
        row = ShopOrderRow(
            person=order.person, item=order.item, price=order.price,
            status=order.status.value, created_at=order.created_at,
        )
        self.session.add(row)
        self.session.flush()
        order.id = row.id

    def get(self, order_id: int) -> Order | None:
        query = select(ShopOrderRow).where(ShopOrderRow.id == order_id)
        row = self.session.exec(query.execution_options(populate_existing=True)).first()
        return to_order(row) if row else None

    def decide(self, order: Order) -> bool:
        statement = (
            update(ShopOrderRow)
            .where(col(ShopOrderRow.id) == order.id,
                   col(ShopOrderRow.status) == OrderStatus.PENDING.value)
            .values(status=order.status.value, decided_at=order.decided_at,
                    decided_by=order.decided_by, reason=order.reason)
            .execution_options(synchronize_session=False)
        )
        return self._changed(statement)

    def taken(self, item: str) -> int:
        # A column, not the row: the updates below go past the ORM's copy of it.
        query = select(ShopStockRow.taken).where(ShopStockRow.item == item)
        return self.session.exec(query).first() or 0

    def take(self, item: str, stock: int) -> bool:
        insert_once(self.session, ShopStockRow, {"item": item, "taken": 0})
        statement = (
            update(ShopStockRow)
            .where(col(ShopStockRow.item) == item, col(ShopStockRow.taken) < stock)
            .values(taken=col(ShopStockRow.taken) + 1)
            .execution_options(synchronize_session=False)
        )
        return self._changed(statement)

    def give_back(self, item: str) -> None:
        statement = (
            update(ShopStockRow)
            .where(col(ShopStockRow.item) == item, col(ShopStockRow.taken) > 0)
            .values(taken=col(ShopStockRow.taken) - 1)
            .execution_options(synchronize_session=False)
        )
        self._changed(statement)

    def ordered(self, person: str, item: str, since: datetime) -> int:
        query = select(func.count()).select_from(ShopOrderRow).where(
            ShopOrderRow.person == person, ShopOrderRow.item == item,
            col(ShopOrderRow.created_at) >= since,
            ShopOrderRow.status != OrderStatus.REJECTED.value,
        )
        return int(self.session.exec(query).one())

    def orders(self, statuses: Sequence[OrderStatus] | None = None) -> list[Order]:
        query = (select(ShopOrderRow).order_by(col(ShopOrderRow.id))
                 .execution_options(populate_existing=True))
        if statuses is not None:
            query = query.where(col(ShopOrderRow.status).in_([s.value for s in statuses]))
        return [to_order(row) for row in self.session.exec(query)]

    def _changed(self, statement: Update) -> bool:
        """Run an UPDATE on the session's connection; whether it changed a row."""
        self.session.flush()  # rows the ORM holds go first, so the update sees them
        return self.session.connection().execute(statement).rowcount == 1

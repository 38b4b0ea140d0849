"""The points ledger in SQL: entries appended once by their key, balances summed, accounts
locked for the transaction that spends from them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from core.ledger import EntryKind, LedgerEntry, Part
from storage.tables import PointsAccountRow, PointsRow

# What a ranking counts: points earned, whatever was spent in the shop.
_EARNED = (EntryKind.AWARD.value, EntryKind.REVOKE.value, EntryKind.ADJUST.value)


def insert_once(session: Session, table: Any, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on either database; whether a row went in.

    On PostgreSQL a conflicting row another transaction has not committed yet makes this
    wait for it, then do nothing: two writers of one key write it once.
    """
    # One statement in the caller's transaction, not a savepoint (see storage.messaging).
    target: Table = table.__table__
    connection = session.connection()
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = (insert(target).values(**values).on_conflict_do_nothing()
                 .returning(*target.primary_key.columns))
    return connection.execute(statement).first() is not None


def to_entry(row: PointsRow) -> LedgerEntry:
    return LedgerEntry(
        person=row.person, kind=EntryKind(row.kind), delta=row.delta, reason=row.reason,
        actor=row.actor, at=row.at, ticket=row.ticket, order=row.order_id,
        part=Part(row.part) if row.part in set(Part) else None, key=row.idempotency_key,
        id=row.id,
    )


class SqlPointsLedger:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def append(self, entry: LedgerEntry) -> bool:
        values = {
            "person": entry.person, "kind": entry.kind.value, "delta": entry.delta,
            "ticket": entry.ticket, "order_id": entry.order,
            "part": entry.part.value if entry.part else None, "reason": entry.reason,
            "actor": entry.actor, "at": entry.at, "idempotency_key": entry.key,
        }
        return insert_once(self.session, PointsRow, values)

    def lock(self, person: str) -> None:
        insert_once(self.session, PointsAccountRow, {"person": person})
        if self._postgres:  # SQLite has one writer at a time: its transactions serialise
            query = select(PointsAccountRow.person).where(PointsAccountRow.person == person)
            self.session.exec(query.with_for_update()).one()

    def balance(self, person: str) -> int:
        query = select(func.coalesce(func.sum(PointsRow.delta), 0)).where(
            PointsRow.person == person
        )
        return int(self.session.exec(query).one())

    def entries(self, person: str, limit: int = 10) -> list[LedgerEntry]:
        query = (select(PointsRow).where(PointsRow.person == person)
                 .order_by(col(PointsRow.id).desc()).limit(limit))
        return [to_entry(row) for row in self.session.exec(query)]

    def of_ticket(self, code: str) -> list[LedgerEntry]:
        query = select(PointsRow).where(PointsRow.ticket == code).order_by(col(PointsRow.id))
        return [to_entry(row) for row in self.session.exec(query)]

    def ranking(self) -> list[tuple[str, int]]:
        total = func.sum(PointsRow.delta).label("total")
        query = (
            select(PointsRow.person, total).where(col(PointsRow.kind).in_(_EARNED))
            .group_by(col(PointsRow.person))
            .having(total > 0).order_by(total.desc(), col(PointsRow.person))
        )
        return [(person, int(points)) for person, points in self.session.exec(query)]

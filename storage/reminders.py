"""Reminders in SQL: tickets whose reminder is due, and the reminders kept for digests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from core.ports import GatheredReminder
from core.tickets import Ticket
from storage.tables import DigestRow, GatheredReminderRow, TicketRow
from storage.tickets import due_by, first_due


class SqlReminderBook:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def due(self, now: datetime, limit: int = 100) -> list[Ticket]:
        return due_by(self.session, TicketRow.remind_at, now, limit)

    def next_due_at(self) -> datetime | None:
        return first_due(self.session, TicketRow.remind_at)

    def gather(self, person: str, ticket: str, step: str, at: datetime) -> None:
        self.session.add(GatheredReminderRow(person=person, ticket=ticket, step=step,
                                             gathered_at=at))

    def gathered(self, person: str) -> list[GatheredReminder]:
        query = (
            select(GatheredReminderRow).where(GatheredReminderRow.person == person)
            .order_by(col(GatheredReminderRow.id))
        )
        return [GatheredReminder(row.id or 0, row.ticket, row.step)
                for row in self.session.exec(query)]

    def forget(self, ids: Sequence[int]) -> None:
        if ids:
            self.session.execute(
                delete(GatheredReminderRow).where(col(GatheredReminderRow.id).in_(ids)))

    def oldest_gathered(self) -> dict[str, datetime]:
        query = (
            select(GatheredReminderRow.person, func.min(GatheredReminderRow.gathered_at))
            .group_by(GatheredReminderRow.person)
        )
        return {person: at for person, at in self.session.exec(query)}

    def claim_digest(self, person: str, day: date, at: datetime) -> bool:
        # One INSERT in the caller's transaction (see storage.messaging.SqlInbox): on
        # PostgreSQL a second process inserting the same day waits for the first, then
        # inserts nothing.
        table = DigestRow.__table__  # type: ignore[attr-defined]
        insert = postgresql.insert if self._postgres else sqlite.insert
        statement = (
            insert(table).values(person=person, day=day, sent_at=at)
            .on_conflict_do_nothing().returning(table.c.person)
        )
        return self.session.execute(statement).first() is not None

    def last_digests(self) -> dict[str, date]:
        query = select(DigestRow.person, func.max(DigestRow.day)).group_by(DigestRow.person)
        return {person: day for person, day in self.session.exec(query)}

"""Tickets in SQL: the row mapping and the queries the domain needs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, func, text
from sqlmodel import Session, col, select

from core.geo import GeoPoint
from core.plant import Severity
from core.ports import TicketFilter
from core.tickets import OPEN_STATUSES, Status, Ticket, Validity
from storage.policies import policy_from_json, policy_json
from storage.tables import TicketRow

_PLAIN = [
    f.name for f in fields(Ticket)
    if f.name not in {
        "id", "location", "severity", "urgency", "status", "validity", "photos", "policy",
    }
]


def row_values(ticket: Ticket) -> dict[str, Any]:
    """The ticket as column values (everything but the row's own id, day and number)."""
    point = ticket.location
    return {name: getattr(ticket, name) for name in _PLAIN} | {
        "severity": ticket.severity.value, "urgency": ticket.urgency.value,
        "status": ticket.status.value, "validity": ticket.validity.value,
        "photos": list(ticket.photos),
        "policy": policy_json(ticket.policy) if ticket.policy else None,
        "lat": point.lat if point else None,
        "lon": point.lon if point else None,
        "accuracy_m": point.accuracy_m if point else None,
    }


def to_ticket(row: TicketRow) -> Ticket:
    location = None
    if row.lat is not None and row.lon is not None:
        location = GeoPoint(row.lat, row.lon, row.accuracy_m)
    return Ticket(
        **{name: getattr(row, name) for name in _PLAIN},
        id=row.id,
        location=location,
        severity=Severity(row.severity),
        urgency=Severity(row.urgency),
        status=Status(row.status),
        validity=Validity(row.validity),
        photos=list(row.photos),
        policy=policy_from_json(row.policy) if row.policy else None,
    )


def due_by(session: Session, deadline: Any, now: datetime, limit: int) -> list[Ticket]:
    """Open tickets whose `deadline` column (due_at, remind_at) passed by `now`, the soonest
    first; on PostgreSQL locked, and rows other sweepers hold are skipped. Found through the
    deadline's index: as costly as the due tickets, whatever the table holds (bench/sweep.py)."""
    query = (
        select(TicketRow).where(col(deadline) <= now, still_open())
        .order_by(col(deadline)).limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return [to_ticket(row) for row in session.exec(query)]


def first_due(session: Session, deadline: Any) -> datetime | None:
    """The soonest open `deadline`: the first in index order, not min() over the open
    statuses, for which SQLite would read every open ticket through the status index."""
    query = (
        select(deadline).where(col(deadline).is_not(None), still_open())
        .order_by(col(deadline)).limit(1)
    )
    found: datetime | None = session.exec(query).first()
    return found


def still_open() -> ColumnElement[bool]:
    """`status` is open, as a check on rows a deadline index found, never as the way in.

    A ticket that is resolved, closed or rejected has no deadline left: core.escalation
    clears `due_at` and `remind_at` on every such move (tests/unit/core/
    test_deadline_invariant.py walks every path), migration 0010 cleared `due_at` on any
    older row. So nearly every row a deadline query finds is open. Asked as `status IN
    (...)`, SQLite's planner takes the status index instead (three keys look cheaper than a
    range) and reads and sorts every open ticket. `status || ''` is the same value that no
    index serves, on SQLite and PostgreSQL alike, so the deadline index leads.
    """
    return (col(TicketRow.status) + "").in_([s.value for s in OPEN_STATUSES])


class SqlTicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def add(self, ticket: Ticket) -> None:
        day, number = ticket.code[3:9], int(ticket.code[10:])
        row = TicketRow(day=day, number=number, **row_values(ticket))
        self.session.add(row)
        self.session.flush()
        ticket.id = row.id

    def get(self, code: str) -> Ticket | None:
        query = select(TicketRow).where(TicketRow.code == code.strip().upper())
        if self._postgres:
            query = query.with_for_update()
        row = self.session.exec(query).first()
        return to_ticket(row) if row else None

    def save(self, ticket: Ticket) -> None:
        row = self.session.get(TicketRow, ticket.id)
        if row is None:
            raise LookupError(ticket.code)
        for name, value in row_values(ticket).items():
            setattr(row, name, value)
        self.session.add(row)

    def next_number(self, day: str) -> int:
        if self._postgres:
            # Serialises numbering per day across processes; released at commit.
            self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:d))"), {"d": day})
        query = select(func.max(TicketRow.number)).where(TicketRow.day == day)
        return (self.session.exec(query).one() or 0) + 1

    def due(self, now: datetime, limit: int = 100) -> list[Ticket]:
        return due_by(self.session, TicketRow.due_at, now, limit)

    def next_due_at(self) -> datetime | None:
        return first_due(self.session, TicketRow.due_at)

    def by_reporter(self, person: str, limit: int = 10) -> list[Ticket]:
        query = (
            select(TicketRow).where(TicketRow.reporter == person)
            .order_by(col(TicketRow.id).desc()).limit(limit)
        )
        return [to_ticket(row) for row in self.session.exec(query)]

    def all(self) -> Iterator[Ticket]:
        for row in self.session.exec(select(TicketRow).order_by(col(TicketRow.id))):
            yield to_ticket(row)

    def find(self, where: TicketFilter, *, limit: int = 100, offset: int = 0) -> list[Ticket]:
        """Matching tickets by `TicketFilter.deadline`, the soonest (overdue) first, none last."""
        deadline = self._deadline()
        query = (
            select(TicketRow).where(*self._conditions(where))
            .order_by(deadline.is_(None), deadline, col(TicketRow.id))
            .offset(offset).limit(limit)
        )
        return [to_ticket(row) for row in self.session.exec(query)]

    def count(self, where: TicketFilter) -> int:
        query = select(func.count()).select_from(TicketRow).where(*self._conditions(where))
        return self.session.exec(query).one()

    @staticmethod
    def _deadline() -> ColumnElement[datetime]:
        """`TicketFilter.deadline` in SQL."""
        kept = case(
            (col(TicketRow.status) == Status.REPORTED.value, col(TicketRow.respond_by)),
            else_=col(TicketRow.resolve_by),
        )
        return func.coalesce(kept, col(TicketRow.due_at))

    @classmethod
    def _conditions(cls, where: TicketFilter) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if where.statuses is not None:
            conditions.append(col(TicketRow.status).in_([s.value for s in where.statuses]))
        if where.validities is not None:
            conditions.append(col(TicketRow.validity).in_([v.value for v in where.validities]))
        if where.teams is not None:
            conditions.append(col(TicketRow.team).in_(where.teams))
        if where.area is not None:
            conditions.append(col(TicketRow.area) == where.area)
        if where.min_escalation_level:
            conditions.append(col(TicketRow.escalation_level) >= where.min_escalation_level)
        if where.deadline_before is not None:
            conditions.append(cls._deadline() < where.deadline_before)
        if where.category is not None:
            conditions.append(col(TicketRow.category) == where.category)
        if where.equipment is not None:
            conditions.append(func.upper(col(TicketRow.equipment)) == where.equipment.upper())
        if where.created_from is not None:
            conditions.append(col(TicketRow.created_at) >= where.created_from)
        if where.created_before is not None:
            conditions.append(col(TicketRow.created_at) < where.created_before)
        return conditions

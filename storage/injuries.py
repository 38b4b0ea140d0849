"""Injuries in SQL (core/injuries.py): counted by kind and day in the database."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.injuries import Injury, InjuryKind
from storage.tables import InjuryRow


class SqlInjuryBook:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, injury: Injury) -> None:
        self.session.add(InjuryRow(
            day=injury.day, person=injury.person, name=injury.name,
            department=injury.department, kind=injury.kind.value, lost_days=injury.lost_days,
            recorded_by=injury.recorded_by, recorded_at=injury.recorded_at,
        ))
        self.session.flush()

    def counts(self, *, first: date, last: date,
               department: str | None = None) -> dict[InjuryKind, int]:
        query = (select(col(InjuryRow.kind), func.count())
                 .where(col(InjuryRow.day) >= first, col(InjuryRow.day) <= last)
                 .group_by(col(InjuryRow.kind)))
        if department is not None:
            query = query.where(col(InjuryRow.department) == department)
        return {InjuryKind(kind): count for kind, count in self.session.exec(query)}

    def lost_time_days(self, *, first: date, last: date,
                       department: str | None = None) -> list[date]:
        query = (select(col(InjuryRow.day)).distinct()
                 .where(col(InjuryRow.kind) == InjuryKind.LOST_TIME.value,
                        col(InjuryRow.day) >= first, col(InjuryRow.day) <= last)
                 .order_by(col(InjuryRow.day)))
        if department is not None:
            query = query.where(col(InjuryRow.department) == department)
        return list(self.session.exec(query))

    def last_lost_time(self, *, on_or_before: date, department: str | None = None) -> date | None:
        query = select(func.max(InjuryRow.day)).where(
            col(InjuryRow.kind) == InjuryKind.LOST_TIME.value, col(InjuryRow.day) <= on_or_before)
        if department is not None:
            query = query.where(col(InjuryRow.department) == department)
        found: date | None = self.session.exec(query).one()
        return found

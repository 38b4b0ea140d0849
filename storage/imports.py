"""What `safetyloop import` keeps in SQL: imported ledger keys, run periods, hours worked."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.usage_rows import MonthHours, RunPeriod
from storage.tables import HoursWorkedRow, RunPeriodRow, TicketImportRow

# Keys asked about per query: far below any database's limit of bound parameters.
_BATCH = 500


class SqlLedgerImports:
    def __init__(self, session: Session) -> None:
        self.session = session

    def known(self, keys: Collection[str]) -> set[str]:
        wanted, found = sorted(keys), set[str]()
        for at in range(0, len(wanted), _BATCH):
            query = select(TicketImportRow.key).where(
                col(TicketImportRow.key).in_(wanted[at:at + _BATCH]))
            found.update(self.session.exec(query))
        return found

    def note(self, key: str, *, ticket: str, source_code: str | None, at: datetime) -> None:
        self.session.add(TicketImportRow(key=key, ticket=ticket, source_code=source_code,
                                         imported_at=at))


def _period(row: RunPeriodRow) -> RunPeriod:
    return RunPeriod(row.equipment, row.started_at, row.ended_at)


class SqlRunLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def overlapping(self, period: RunPeriod) -> list[RunPeriod]:
        query = (
            select(RunPeriodRow)
            .where(RunPeriodRow.equipment == period.equipment,
                   col(RunPeriodRow.started_at) < period.end,
                   col(RunPeriodRow.ended_at) > period.start)
            .order_by(col(RunPeriodRow.started_at))
        )
        return [_period(row) for row in self.session.exec(query)]

    def add(self, period: RunPeriod) -> None:
        self.session.add(RunPeriodRow(equipment=period.equipment, started_at=period.start,
                                      ended_at=period.end))
        self.session.flush()  # the next row's overlap query sees this one

    def periods(self, equipment: str, *, before: datetime | None = None) -> list[RunPeriod]:
        query = select(RunPeriodRow).where(RunPeriodRow.equipment == equipment)
        if before is not None:
            query = query.where(col(RunPeriodRow.started_at) < before)
        return [_period(row) for row in
                self.session.exec(query.order_by(col(RunPeriodRow.started_at)))]


class SqlHoursWorked:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, department: str, month: date) -> float | None:
        row = self.session.get(HoursWorkedRow, (department, month))
        return row.hours if row else None

    def put(self, entry: MonthHours, at: datetime) -> None:
        row = self.session.get(HoursWorkedRow, (entry.department, entry.month))
        if row is None:
            row = HoursWorkedRow(department=entry.department, month=entry.month,
                                 hours=entry.hours, updated_at=at)
        row.hours, row.updated_at = entry.hours, at
        self.session.add(row)

    def total(self, *, first: date, last: date, department: str | None = None) -> float | None:
        query = select(func.sum(HoursWorkedRow.hours)).where(
            col(HoursWorkedRow.month) >= first, col(HoursWorkedRow.month) <= last)
        if department is not None:
            query = query.where(HoursWorkedRow.department == department)
        total = self.session.exec(query).one()
        return float(total) if total is not None else None

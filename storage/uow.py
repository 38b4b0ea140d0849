"""The SQL unit of work: one session, one transaction, rolled back unless committed.

It collects the domain events use cases record and, just before committing, hands them to
the registry's subscribers, so what they write is committed with the change itself.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlmodel import Session

from core.bus import EventRegistry
from storage.audit import SqlAuditLog
from storage.chains import SqlChainRepository
from storage.checkins import SqlCheckInRepository
from storage.conversations import SqlConversationRepository
from storage.duplicates import SqlDuplicateIndex
from storage.figures import SqlReportFigures
from storage.health_index import SqlHealthIndex
from storage.imports import SqlHoursWorked, SqlLedgerImports, SqlRunLog
from storage.injuries import SqlInjuryBook
from storage.invites import SqlInvites
from storage.kpi import SqlKpiSource
from storage.ledger import SqlPointsLedger
from storage.major import SqlMajorRegister
from storage.messaging import SqlInbox, SqlOutbox
from storage.monthly_reports import SqlMonthlyReportLog
from storage.people import SqlDirectory
from storage.rankings import SqlRankings
from storage.reminders import SqlReminderBook
from storage.rounds import SqlRoundRepository
from storage.shop import SqlShopBook
from storage.tickets import SqlTicketRepository
from storage.trends import SqlTrendBook


class SqlUnitOfWork:
    def __init__(self, engine: Engine, events: EventRegistry | None = None) -> None:
        self.engine = engine
        self.events = events if events is not None else EventRegistry()
        self._recorded: list[object] = []

    def __enter__(self) -> Self:
        self.session = Session(self.engine, expire_on_commit=False)
        self.tickets = SqlTicketRepository(self.session)
        self.chains = SqlChainRepository(self.session)
        self.conversations = SqlConversationRepository(self.session)
        self.inbox = SqlInbox(self.session)
        self.outbox = SqlOutbox(self.session)
        self.audit = SqlAuditLog(self.session)
        self.points = SqlPointsLedger(self.session)
        self.rankings = SqlRankings(self.session)
        self.shop = SqlShopBook(self.session)
        self.directory = SqlDirectory(self.session)
        self.invites = SqlInvites(self.session)
        self.duplicates = SqlDuplicateIndex(self.session)
        self.figures = SqlReportFigures(self.session)
        self.majors = SqlMajorRegister(self.session)
        self.reminders = SqlReminderBook(self.session)
        self.rounds = SqlRoundRepository(self.session)
        self.checkins = SqlCheckInRepository(self.session)
        self.imports = SqlLedgerImports(self.session)
        self.run_log = SqlRunLog(self.session)
        self.hours_worked = SqlHoursWorked(self.session)
        self.injuries = SqlInjuryBook(self.session)
        self.kpis = SqlKpiSource(self.session)
        self.trends = SqlTrendBook(self.session)
        self.health_index = SqlHealthIndex(self.session)
        self.monthly_reports = SqlMonthlyReportLog(self.session)
        self._recorded = []
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._recorded.clear()
        self.session.rollback()
        self.session.close()

    def record(self, event: object) -> None:
        self._recorded.append(event)

    def collect_new_events(self) -> list[object]:
        events, self._recorded = self._recorded, []
        return events

    def commit(self) -> None:
        self.events.dispatch(self)
        self.session.commit()

    def rollback(self) -> None:
        self._recorded.clear()
        self.session.rollback()

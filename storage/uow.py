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
from storage.conversations import SqlConversationRepository
from storage.invites import SqlInvites
from storage.messaging import SqlInbox, SqlOutbox
from storage.people import SqlDirectory, SqlPointsLedger
from storage.tickets import SqlTicketRepository


class SqlUnitOfWork:
    def __init__(self, engine: Engine, events: EventRegistry | None = None) -> None:
        self.engine = engine
        self.events = events if events is not None else EventRegistry()
        self._recorded: list[object] = []

    def __enter__(self) -> Self:
        self.session = Session(self.engine, expire_on_commit=False)
        self.tickets = SqlTicketRepository(self.session)
        self.conversations = SqlConversationRepository(self.session)
        self.inbox = SqlInbox(self.session)
        self.outbox = SqlOutbox(self.session)
        self.audit = SqlAuditLog(self.session)
        self.points = SqlPointsLedger(self.session)
        self.directory = SqlDirectory(self.session)
        self.invites = SqlInvites(self.session)
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

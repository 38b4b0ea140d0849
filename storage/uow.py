"""The SQL unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlmodel import Session

from storage.audit import SqlAuditLog
from storage.conversations import SqlConversationRepository
from storage.invites import SqlInvites
from storage.messaging import SqlInbox, SqlOutbox
from storage.people import SqlDirectory, SqlPointsLedger
from storage.tickets import SqlTicketRepository


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

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
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

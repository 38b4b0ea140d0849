"""The inbox that remembers handled updates and the outbox that holds every message to send."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from core.messages import OutMessage
from core.pictures import BeforeAfter
from storage.tables import InboxRow, OutboxRow


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def first_time(self, channel: str, key: str, at: datetime) -> bool:
        # One INSERT inside the caller's transaction, not a savepoint: pysqlite commits a
        # SAVEPOINT opened before any write, so a handler that failed would still have
        # marked the update as seen and its retry would be dropped. On PostgreSQL a
        # concurrent insert of the same key waits for the other transaction, then does nothing.
        table = InboxRow.__table__  # type: ignore[attr-defined]
        insert = postgresql.insert if self._postgres else sqlite.insert
        statement = (
            insert(table).values(channel=channel, key=key, seen_at=at)
            .on_conflict_do_nothing().returning(table.c.key)
        )
        return self.session.execute(statement).first() is not None

    def handled(self, channel: str, key: str) -> bool:
        return self.session.get(InboxRow, (channel, key)) is not None


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, message: OutMessage, at: datetime, *, picture: BeforeAfter | None = None) -> int:
        payload = asdict(message)
        for column in ("channel", "address", "person", "ticket"):
            payload.pop(column)
        row = OutboxRow(
            channel=message.channel, address=message.address, person=message.person,
            ticket=message.ticket, payload=payload, created_at=at, next_attempt_at=at,
            picture=picture_json(picture) if picture else None,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id


def picture_json(picture: BeforeAfter) -> dict[str, Any]:
    return {"kind": "before_after"} | asdict(picture)


def picture_from_json(data: dict[str, Any]) -> BeforeAfter:
    labels = data["labels"]
    return BeforeAfter(data["before"], data["after"], (labels[0], labels[1]), data["title"])

"""The inbox that remembers handled updates and the outbox that holds every message to send."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.messages import OutMessage
from storage.tables import InboxRow, OutboxRow


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def first_time(self, channel: str, key: str, at: datetime) -> bool:
        if self.session.get(InboxRow, (channel, key)) is not None:
            return False
        try:
            with self.session.begin_nested():
                self.session.add(InboxRow(channel=channel, key=key, seen_at=at))
        except IntegrityError:  # another process took the same update a moment ago
            return False
        return True


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, message: OutMessage, at: datetime) -> int:
        payload = asdict(message)
        for column in ("channel", "address", "person", "ticket"):
            payload.pop(column)
        row = OutboxRow(
            channel=message.channel, address=message.address, person=message.person,
            ticket=message.ticket, payload=payload, created_at=at, next_attempt_at=at,
        )
        self.session.add(row)
        self.session.flush()
        assert row.id is not None
        return row.id

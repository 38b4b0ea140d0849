"""The inbox that remembers handled updates and the outbox that holds every message to send."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from core.messages import OutMessage
from core.pictures import BarChart, BeforeAfter, Picture, Table
from storage.tables import InboxRow, OutboxRow


def _first_time(dialect_insert: Any) -> Any:
    table = InboxRow.__table__  # type: ignore[attr-defined]
    return (
        dialect_insert(table).values(channel=bindparam("channel"), key=bindparam("key"),
                             seen_at=bindparam("seen_at"))
        .on_conflict_do_nothing().returning(table.c.key)
    )


# Built once per dialect: every update passes here, and building cost more than running.
_FIRST_TIME = {"postgresql": _first_time(postgresql.insert), "sqlite": _first_time(sqlite.insert)}
_OUTBOX = OutboxRow.__table__  # type: ignore[attr-defined]
_PUT = insert(_OUTBOX).returning(_OUTBOX.c.id)


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def first_time(self, channel: str, key: str, at: datetime) -> bool:
        # One INSERT inside the caller's transaction, not a savepoint: pysqlite commits a
        # SAVEPOINT opened before any write, so a handler that failed would still have
        # marked the update as seen and its retry would be dropped. On PostgreSQL a
        # concurrent insert of the same key waits for the other transaction, then does nothing.
        # On the session's connection: a plain statement needs none of the ORM's bookkeeping.
        connection = self.session.connection()
        statement = _FIRST_TIME[connection.dialect.name]
        params = {"channel": channel, "key": key, "seen_at": at}
        return connection.execute(statement, params).first() is not None

    def handled(self, channel: str, key: str) -> bool:
        return self.session.get(InboxRow, (channel, key)) is not None


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, message: OutMessage, at: datetime, *, picture: Picture | None = None) -> int:
        payload = asdict(message)
        for column in ("channel", "address", "person", "ticket"):
            payload.pop(column)
        # A plain INSERT, not an ORM object and a flush: its id (the order of a chat's
        # messages) is taken now all the same, at a third of the cost.
        values = {
            "channel": message.channel, "address": message.address, "person": message.person,
            "ticket": message.ticket, "payload": payload,
            "picture": picture_json(picture) if picture else None, "status": "pending",
            "attempts": 0, "created_at": at, "next_attempt_at": at,
        }
        message_id: int = self.session.connection().execute(_PUT, values).scalar_one()
        return message_id


def picture_json(picture: Picture) -> dict[str, Any]:
    kind = ("table" if isinstance(picture, Table)
            else "bar_chart" if isinstance(picture, BarChart) else "before_after")
    return {"kind": kind} | asdict(picture)


def picture_from_json(data: dict[str, Any]) -> Picture:
    if data.get("kind") == "bar_chart":
        return BarChart(
            data["title"], tuple(str(label) for label in data["labels"]),
            tuple(int(value) for value in data["values"]), data.get("mine"),
            data.get("subtitle", ""),
        )
    if data.get("kind") == "table":
        return Table(
            data["title"], tuple(data["headers"]), tuple(tuple(row) for row in data["rows"]),
            tuple((int(r), int(c), str(style)) for r, c, style in data["marks"]),
            data.get("subtitle", ""),
        )
    labels = data["labels"]
    return BeforeAfter(data["before"], data["after"], (labels[0], labels[1]), data["title"])

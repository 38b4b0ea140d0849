"""The delivery side of the outbox: claim due messages in order, then settle each one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, exists, func, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from core.messages import Button, OutMessage
from storage.tables import OutboxRow

LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Claimed:
    id: int
    attempts: int
    message: OutMessage


def _message(row: OutboxRow) -> OutMessage:
    payload: dict[str, Any] = dict(row.payload)
    payload["buttons"] = tuple(Button(**b) for b in payload.get("buttons", ()))
    return OutMessage(
        channel=row.channel, address=row.address, person=row.person, ticket=row.ticket, **payload
    )


def _due_query(postgres: bool) -> SelectOfScalar[OutboxRow]:
    """Built once: the worker claims after every event, and building costs more than running."""
    earlier = aliased(OutboxRow)
    blocked = exists().where(
        and_(
            col(earlier.channel) == col(OutboxRow.channel),
            col(earlier.address) == col(OutboxRow.address),
            col(earlier.id) < col(OutboxRow.id),
            col(earlier.status).in_(("pending", "sending")),
        )
    )
    query = (
        select(OutboxRow)
        .where(col(OutboxRow.status).in_(("pending", "sending")))
        .where(col(OutboxRow.next_attempt_at) <= bindparam("now"))
        .where(~blocked)
        .order_by(col(OutboxRow.id))
        .limit(bindparam("limit"))
    )
    return query.with_for_update(skip_locked=True, of=OutboxRow) if postgres else query


class SqlOutboxQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._due = _due_query(engine.dialect.name == "postgresql")

    def claim(self, now: datetime, limit: int = 50) -> list[Claimed]:
        """Due messages, each the oldest unsent one for its chat, leased to this worker."""
        with Session(self.engine) as session:
            rows = list(session.exec(self._due, params={"now": now, "limit": limit}))
            claimed = [Claimed(r.id, r.attempts, _message(r)) for r in rows if r.id is not None]
            if rows:
                session.execute(
                    update(OutboxRow)
                    .where(col(OutboxRow.id).in_([r.id for r in rows]))
                    .values(status="sending", next_attempt_at=now + LEASE)
                )
            session.commit()
        return claimed

    def _settle(self, message_id: int, **values: Any) -> None:
        with Session(self.engine) as session:
            query = update(OutboxRow).where(col(OutboxRow.id) == message_id)
            session.execute(query.values(**values))
            session.commit()

    def sent(self, message_id: int, now: datetime, external_id: str | None) -> None:
        self._settle(message_id, status="sent", sent_at=now, external_id=external_id)

    def retry(self, message_id: int, at: datetime, error: str, *, count: bool = True) -> None:
        values: dict[str, Any] = {"status": "pending", "next_attempt_at": at, "last_error": error}
        if count:
            values["attempts"] = OutboxRow.attempts + 1
        self._settle(message_id, **values)

    def dead(self, message_id: int, error: str) -> None:
        self._settle(message_id, status="dead", last_error=error)

    def next_due_at(self) -> datetime | None:
        with Session(self.engine) as session:
            query = select(func.min(OutboxRow.next_attempt_at)).where(
                col(OutboxRow.status).in_(("pending", "sending"))
            )
            value: datetime | None = session.execute(query).scalar()
            return value

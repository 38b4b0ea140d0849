"""The delivery side of the outbox: claim due messages in order, then settle each one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Row, Select, Update, bindparam, exists, func, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from core.blobs import StoredFile
from core.messages import Button, OutMessage
from core.pictures import Picture
from storage.lease_owner import LeaseOwner, this_process
from storage.messaging import picture_from_json
from storage.tables import OutboxRow

# Short, because the worker renews it while a send is in flight: a lease nobody renews
# means its holder is gone, and its chat should not stay silent for long.
LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class Sent:
    """A message the platform accepted: when, and the platform's id for it."""

    message_id: int
    at: datetime
    external_id: str | None


_TABLE = OutboxRow.__table__  # type: ignore[attr-defined]
_SENT = (
    update(_TABLE).where(_TABLE.c.id == bindparam("message"))
    .values(status="sent", sent_at=bindparam("sent_at"), external_id=bindparam("external_id"))
)


@dataclass(frozen=True)
class Claimed:
    id: int
    attempts: int
    message: OutMessage
    picture: Picture | None = None  # to draw and send as the message's image


def _message(row: Row[Any]) -> OutMessage:
    payload: dict[str, Any] = dict(row.payload)
    payload["buttons"] = tuple(Button(**b) for b in payload.get("buttons", ()))
    if attachment := payload.get("attachment"):
        payload["attachment"] = StoredFile(**attachment)
    return OutMessage(
        channel=row.channel, address=row.address, person=row.person, ticket=row.ticket, **payload
    )


def _due_query(postgres: bool) -> Select[Any]:
    """Built once: the worker claims after every event, and building costs more than running.
    Plain columns, not ORM objects: the claimed rows are only read, once."""
    earlier = _TABLE.alias("earlier")
    blocked = exists().where(
        earlier.c.channel == _TABLE.c.channel,
        earlier.c.address == _TABLE.c.address,
        earlier.c.id < _TABLE.c.id,
        earlier.c.status.in_(("pending", "sending")),
    )
    t = _TABLE.c
    query = (
        select_columns(t.id, t.attempts, t.channel, t.address, t.person, t.ticket, t.payload,
                       t.picture)
        .where(t.status.in_(("pending", "sending")))
        .where(t.next_attempt_at <= bindparam("now"))
        .where(~blocked)
        .order_by(t.id)
        .limit(bindparam("limit"))
    )
    return query.with_for_update(skip_locked=True, of=_TABLE) if postgres else query


_LEASE_CLAIMED = (
    update(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
    .values(status="sending", next_attempt_at=bindparam("until"), lease_owner=bindparam("owner"))
)


class SqlOutboxQueue:
    def __init__(self, engine: Engine, owner: LeaseOwner | None = None) -> None:
        self.engine = engine
        self.owner = owner or this_process()
        self._signature = str(self.owner)
        self._due = _due_query(engine.dialect.name == "postgresql")

    def claim(self, now: datetime, limit: int = 50) -> list[Claimed]:
        """Due messages, each the oldest unsent one for its chat, leased to this worker."""
        with self.engine.begin() as connection:
            rows = list(connection.execute(self._due, {"now": now, "limit": limit}))
            if rows:
                connection.execute(_LEASE_CLAIMED, {
                    "ids": [row.id for row in rows], "until": now + LEASE,
                    "owner": self._signature})
        return [Claimed(row.id, row.attempts, _message(row),
                        picture_from_json(row.picture) if row.picture else None)
                for row in rows]

    def renew(self, message_ids: list[int], now: datetime) -> int:
        """Extend this worker's leases on messages still being sent; returns how many."""
        return self._update(
            self._ours(update(OutboxRow).where(col(OutboxRow.id).in_(message_ids)))
            .values(next_attempt_at=now + LEASE)
        )

    def take_back(self, now: datetime) -> int:
        """Make the messages leased by certainly dead workers due now; returns how many.

        A process starting up calls it: its own earlier runs on this host are dead for sure.
        """
        with Session(self.engine) as session:
            holders = session.execute(
                select(OutboxRow.lease_owner).distinct()
                .where(col(OutboxRow.status) == "sending")
                .where(col(OutboxRow.lease_owner).is_not(None))
            ).scalars()
            dead = [holder for holder in holders if holder and self._outlived(holder)]
        if not dead:
            return 0
        return self._update(
            update(OutboxRow)
            .where(col(OutboxRow.status) == "sending")
            .where(col(OutboxRow.lease_owner).in_(dead))  # unless taken over meanwhile
            .values(status="pending", next_attempt_at=now)
        )

    def wake(self, channel: str, now: datetime) -> int:
        """Make the channel's messages that are backing off after failures due now."""
        return self._update(
            update(OutboxRow)
            .where(col(OutboxRow.channel) == channel)
            .where(col(OutboxRow.status) == "pending")
            .where(col(OutboxRow.attempts) > 0)
            .where(col(OutboxRow.next_attempt_at) > now)
            .values(next_attempt_at=now)
        )

    def _outlived(self, holder: str) -> bool:
        parsed = LeaseOwner.parse(holder)
        return parsed is not None and self.owner.outlived(parsed)

    def _ours(self, query: Update) -> Update:
        """Narrow an update to messages this worker still holds (no one took them over)."""
        return query.where(col(OutboxRow.status) == "sending").where(
            col(OutboxRow.lease_owner) == self._signature
        )

    def _update(self, query: Update) -> int:
        with Session(self.engine) as session:
            changed: int = session.execute(query).rowcount  # type: ignore[attr-defined]
            session.commit()
        return changed

    def sent(self, message_id: int, now: datetime, external_id: str | None) -> None:
        self.sent_many([Sent(message_id, now, external_id)])

    def sent_many(self, acks: Sequence[Sent]) -> None:
        """Mark messages sent, all in one transaction.

        Recorded whoever holds the lease now: the platform has the message either way.
        """
        if not acks:
            return
        with self.engine.begin() as connection:
            connection.execute(_SENT, [
                {"message": ack.message_id, "sent_at": ack.at, "external_id": ack.external_id}
                for ack in acks
            ])

    def retry(self, message_id: int, at: datetime, error: str, *, count: bool = True) -> None:
        values: dict[str, Any] = {"status": "pending", "next_attempt_at": at, "last_error": error}
        if count:
            values["attempts"] = OutboxRow.attempts + 1
        self._update(self._ours(update(OutboxRow).where(col(OutboxRow.id) == message_id))
                     .values(**values))

    def dead(self, message_id: int, error: str) -> None:
        self._update(self._ours(update(OutboxRow).where(col(OutboxRow.id) == message_id))
                     .values(status="dead", last_error=error))

    def next_due_at(self) -> datetime | None:
        with Session(self.engine) as session:
            query = select(func.min(OutboxRow.next_attempt_at)).where(
                col(OutboxRow.status).in_(("pending", "sending"))
            )
            value: datetime | None = session.execute(query).scalar()
            return value

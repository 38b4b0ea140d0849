"""A durable queue of raw inbound updates: kept before the platform is told they arrived
(a webhook answers, a poll moves on), handled from here afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from storage.tables import InboundRow


@dataclass(frozen=True)
class Inbound:
    id: int
    channel: str
    payload: str


class SqlInboundQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, channel: str, payload: str, now: datetime) -> int:
        with Session(self.engine) as session:
            row = InboundRow(channel=channel, payload=payload, received_at=now)
            session.add(row)
            session.commit()
            assert row.id is not None
            return row.id

    def put_many(self, channel: str, payloads: Sequence[str], now: datetime) -> list[int]:
        """Several updates in one transaction: a batch is kept whole or not at all."""
        with Session(self.engine, expire_on_commit=False) as session:
            rows = [InboundRow(channel=channel, payload=p, received_at=now) for p in payloads]
            session.add_all(rows)
            session.commit()
            return [row.id for row in rows if row.id is not None]

    def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        """Oldest first, so one chat's updates are handled in the order they arrived."""
        query = (
            select(InboundRow).where(InboundRow.channel == channel)
            .where(InboundRow.status == "pending").order_by(col(InboundRow.id)).limit(limit)
        )
        with Session(self.engine) as session:
            return [Inbound(r.id, r.channel, r.payload) for r in session.exec(query) if r.id]

    def done(self, inbound_id: int) -> None:
        self.done_many([inbound_id])

    def done_many(self, inbound_ids: Sequence[int]) -> None:
        if not inbound_ids:
            return
        with Session(self.engine) as session:
            session.execute(
                update(InboundRow).where(col(InboundRow.id).in_(list(inbound_ids)))
                .values(status="done")
            )
            session.commit()

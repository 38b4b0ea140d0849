"""A durable queue of raw inbound updates: a webhook answers at once, the work follows."""

from __future__ import annotations

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

    def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        """Oldest first, so one chat's updates are handled in the order they arrived."""
        query = (
            select(InboundRow).where(InboundRow.channel == channel)
            .where(InboundRow.status == "pending").order_by(col(InboundRow.id)).limit(limit)
        )
        with Session(self.engine) as session:
            return [Inbound(r.id, r.channel, r.payload) for r in session.exec(query) if r.id]

    def done(self, inbound_id: int) -> None:
        with Session(self.engine) as session:
            session.execute(
                update(InboundRow).where(col(InboundRow.id) == inbound_id).values(status="done")
            )
            session.commit()

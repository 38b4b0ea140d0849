"""A durable queue of raw inbound updates: kept before the platform is told they arrived
(a webhook answers, a poll moves on), handled from here afterwards.

Plain SQL statements built once, not ORM objects: every update passes through here twice
(kept, then done) and the ORM's bookkeeping cost more than the statements themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, bindparam, insert, select, update

from storage.tables import InboundRow

_TABLE = InboundRow.__table__  # type: ignore[attr-defined]
_PUT = insert(_TABLE).values(status="pending", attempts=0)
_PUT_RETURNING = _PUT.returning(_TABLE.c.id, sort_by_parameter_order=True)
_PENDING = (
    select(_TABLE.c.id, _TABLE.c.channel, _TABLE.c.payload)
    .where(_TABLE.c.channel == bindparam("channel"), _TABLE.c.status == "pending")
    .order_by(_TABLE.c.id).limit(bindparam("limit"))
)
_DONE = (update(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True)))
         .values(status="done"))


@dataclass(frozen=True)
class Inbound:
    id: int
    channel: str
    payload: str


# (channel, raw payloads, when they were received): one caller's share of a batch.
Arrival = tuple[str, Sequence[str], datetime]


class SqlInboundQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, channel: str, payload: str, now: datetime) -> int:
        return self.put_many(channel, [payload], now)[0]

    def put_many(self, channel: str, payloads: Sequence[str], now: datetime) -> list[int]:
        """Several updates in one transaction: a batch is kept whole or not at all."""
        if not payloads:
            return []
        rows = [{"channel": channel, "payload": p, "received_at": now} for p in payloads]
        with self.engine.begin() as connection:
            return list(connection.execute(_PUT_RETURNING, rows).scalars())

    def put_arrivals(self, arrivals: Sequence[Arrival]) -> None:
        """Several callers' updates in one transaction (see bot.group_commit)."""
        rows = [{"channel": channel, "payload": p, "received_at": at}
                for channel, payloads, at in arrivals for p in payloads]
        if rows:
            with self.engine.begin() as connection:
                connection.execute(_PUT, rows)

    def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        """Oldest first, so one chat's updates are handled in the order they arrived."""
        with self.engine.connect() as connection:
            result = connection.execute(_PENDING, {"channel": channel, "limit": limit})
            return [Inbound(row.id, row.channel, row.payload) for row in result]

    def done(self, inbound_id: int) -> None:
        self.done_many([inbound_id])

    def done_many(self, inbound_ids: Sequence[int]) -> None:
        if not inbound_ids:
            return
        with self.engine.begin() as connection:
            connection.execute(_DONE, {"ids": list(inbound_ids)})

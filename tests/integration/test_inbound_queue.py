"""The inbound queue: what several callers kept at one moment goes into one transaction, in
the order they came, whole or not at all — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import SQLAlchemyError

from storage.inbound_queue import SqlInboundQueue

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


def payloads(queue: SqlInboundQueue, channel: str) -> list[str]:
    return [row.payload for row in queue.pending(channel)]


def test_arrivals_of_several_callers_are_kept_in_one_transaction_in_their_order(
    engine: Engine,
) -> None:
    queue = SqlInboundQueue(engine)
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(engine, "commit", count)
    try:
        queue.put_arrivals([("telegram", ["a", "b"], T0), ("wecom", ["x"], T0),
                            ("telegram", ["c"], T0)])
    finally:
        event.remove(engine, "commit", count)
    assert len(commits) == 1
    assert payloads(queue, "telegram") == ["a", "b", "c"]
    assert payloads(queue, "wecom") == ["x"]


def test_arrivals_are_kept_whole_or_not_at_all(engine: Engine) -> None:
    queue = SqlInboundQueue(engine)
    with pytest.raises(SQLAlchemyError):   # one payload the database refuses (NOT NULL)
        queue.put_arrivals([("telegram", ["a"], T0), ("telegram", [None], T0)])  # type: ignore[list-item]
    assert payloads(queue, "telegram") == []


def test_done_updates_leave_the_queue_and_the_others_keep_their_order(engine: Engine) -> None:
    queue = SqlInboundQueue(engine)
    ids = queue.put_many("telegram", ["a", "b", "c", "d"], T0)
    queue.done_many([ids[0], ids[2]])
    assert payloads(queue, "telegram") == ["b", "d"]
    assert [row.id for row in queue.pending("telegram", limit=1)] == [ids[1]]

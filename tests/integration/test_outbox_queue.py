"""The delivery side of the outbox: in order per chat, leased while sending, settled once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from core.messages import OutMessage
from storage.outbox_queue import LEASE, SqlOutboxQueue
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def queue(engine: Engine) -> SqlOutboxQueue:
    return SqlOutboxQueue(engine)


def put(engine: Engine, *messages: tuple[str, str], at: datetime = T0) -> list[int]:
    """Queue one message per (channel, address), in order, in one transaction."""
    with SqlUnitOfWork(engine) as uow:
        ids = [
            uow.outbox.put(OutMessage(channel=ch, address=addr, text=f"#{i}"), at)
            for i, (ch, addr) in enumerate(messages)
        ]
        uow.commit()
    return ids


def row(engine: Engine, message_id: int) -> OutboxRow:
    with Session(engine) as session:
        found = session.get(OutboxRow, message_id)
        assert found is not None
        return found


def ids(claimed: list[object]) -> list[int]:
    return [c.id for c in claimed]  # type: ignore[attr-defined]


def test_claim_returns_due_messages_in_id_order_one_per_chat(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    a1, b1, a2, c1, b2 = put(
        engine, ("telegram", "A"), ("telegram", "B"), ("telegram", "A"), ("wecom", "A"),
        ("telegram", "B"),
    )
    claimed = queue.claim(T0)
    assert ids(claimed) == [a1, b1, c1]  # the same address on another channel is another chat
    assert [c.message.text for c in claimed] == ["#0", "#1", "#3"]
    assert all(c.attempts == 0 for c in claimed)
    assert a2 > a1 and b2 > b1


def test_a_later_message_waits_until_the_earlier_one_to_the_same_chat_is_sent(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    first, second = put(engine, ("telegram", "A"), ("telegram", "A"))
    assert ids(queue.claim(T0)) == [first]
    assert queue.claim(T0 + LEASE - MINUTE) == []  # the first is still being sent
    queue.sent(first, T0 + MINUTE, "tg-1001")
    assert ids(queue.claim(T0 + MINUTE)) == [second]


def test_a_later_message_waits_while_the_earlier_one_is_retrying(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    first, second = put(engine, ("telegram", "A"), ("telegram", "A"))
    queue.claim(T0)
    queue.retry(first, T0 + 5 * MINUTE, "502 Bad Gateway")
    assert queue.claim(T0 + MINUTE) == []
    [again] = queue.claim(T0 + 5 * MINUTE)
    assert (again.id, again.attempts) == (first, 1)
    queue.sent(first, T0 + 5 * MINUTE, None)
    assert ids(queue.claim(T0 + 5 * MINUTE)) == [second]


def test_retry_reschedules_counts_the_attempt_and_keeps_the_error(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("telegram", "A"))
    queue.claim(T0)
    queue.retry(message, T0 + 2 * MINUTE, "timeout")
    stored = row(engine, message)
    assert (stored.status, stored.attempts, stored.last_error) == ("pending", 1, "timeout")
    assert stored.next_attempt_at == T0 + 2 * MINUTE
    assert queue.next_due_at() == T0 + 2 * MINUTE


def test_a_retry_that_was_not_the_message_fault_is_not_counted(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("telegram", "A"))
    queue.claim(T0)
    queue.retry(message, T0 + 30 * MINUTE, "429 retry after 1800", count=False)
    stored = row(engine, message)
    assert (stored.attempts, stored.next_attempt_at) == (0, T0 + 30 * MINUTE)


def test_a_sent_message_is_marked_with_its_time_and_platform_id_and_not_claimed_again(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("wecom", "zhangwei"))
    queue.claim(T0)
    queue.sent(message, T0 + MINUTE, "msg-77")
    stored = row(engine, message)
    assert (stored.status, stored.sent_at, stored.external_id) == ("sent", T0 + MINUTE, "msg-77")
    assert queue.claim(T0 + timedelta(days=1)) == []
    assert queue.next_due_at() is None


def test_a_dead_message_is_never_claimed_again_and_no_longer_blocks_its_chat(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    first, second = put(engine, ("telegram", "A"), ("telegram", "A"))
    queue.claim(T0)
    queue.dead(first, "403 bot was blocked by the user")
    stored = row(engine, first)
    assert (stored.status, stored.last_error) == ("dead", "403 bot was blocked by the user")
    assert ids(queue.claim(T0)) == [second]


def test_a_claimed_message_is_leased_until_the_lease_ends(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("telegram", "A"))
    assert ids(queue.claim(T0)) == [message]
    assert row(engine, message).status == "sending"
    assert queue.claim(T0) == []
    assert queue.claim(T0 + LEASE - timedelta(seconds=1)) == []
    # The worker that claimed it died: after the lease another worker takes it over.
    [again] = queue.claim(T0 + LEASE)
    assert (again.id, again.attempts) == (message, 0)
    assert queue.claim(T0 + LEASE) == []


def test_a_message_queued_for_later_is_not_claimed_early(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("telegram", "A"), at=T0 + 10 * MINUTE)
    assert queue.claim(T0) == []
    assert queue.next_due_at() == T0 + 10 * MINUTE
    assert ids(queue.claim(T0 + 10 * MINUTE)) == [message]


def test_claim_takes_no_more_than_its_limit(engine: Engine, queue: SqlOutboxQueue) -> None:
    made = put(engine, *[("telegram", f"chat-{i}") for i in range(5)])
    assert ids(queue.claim(T0, limit=2)) == made[:2]
    assert ids(queue.claim(T0, limit=10)) == made[2:]


def test_an_empty_queue_has_nothing_to_claim(queue: SqlOutboxQueue) -> None:
    assert queue.claim(T0) == []
    assert queue.next_due_at() is None

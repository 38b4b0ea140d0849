"""The delivery side of the outbox: in order per chat, leased while sending, settled once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from core.messages import OutMessage
from storage.lease_owner import LeaseOwner, host_key, this_process
from storage.outbox_queue import LEASE, Sent, SqlOutboxQueue
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)


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
    assert queue.claim(T0 + LEASE - SECOND) == []  # the first is still being sent
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


def test_messages_sent_together_are_marked_in_one_transaction_each_with_its_own_id(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    first, second, third = put(engine, ("telegram", "1"), ("telegram", "2"), ("wecom", "w"))
    queue.claim(T0)
    commits: list[object] = []

    def count(connection: object) -> None:
        commits.append(connection)

    event.listen(engine, "commit", count)
    try:
        queue.sent_many([Sent(first, T0 + SECOND, "tg-1"), Sent(second, T0 + 2 * SECOND, None),
                         Sent(third, T0 + SECOND, "msg-3")])
    finally:
        event.remove(engine, "commit", count)
    assert len(commits) == 1
    stored = [row(engine, message) for message in (first, second, third)]
    assert [(r.status, r.sent_at, r.external_id) for r in stored] == [
        ("sent", T0 + SECOND, "tg-1"), ("sent", T0 + 2 * SECOND, None),
        ("sent", T0 + SECOND, "msg-3")]
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


# --- lease owners: a restart takes back what its dead predecessor held


def owner(boot: str, *, pid: int | None = None, host: str | None = None) -> LeaseOwner:
    return LeaseOwner(host or host_key(), os.getpid() if pid is None else pid, boot)


def a_dead_pid() -> int:
    return int(subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], check=True,
        capture_output=True, text=True,
    ).stdout)


@pytest.fixture
def live_pids() -> Iterator[list[int]]:
    """Four processes alive on this host, to stand for four other workers."""
    sleepers = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
                for _ in range(4)]
    try:
        yield [sleeper.pid for sleeper in sleepers]
    finally:
        for sleeper in sleepers:
            sleeper.kill()
            sleeper.wait()


def test_a_lease_nobody_renews_runs_out_within_half_a_minute() -> None:
    assert timedelta(seconds=10) <= LEASE <= timedelta(seconds=30)


def test_a_claim_is_signed_with_this_process_and_its_boot(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("telegram", "A"))
    queue.claim(T0)
    signed = LeaseOwner.parse(row(engine, message).lease_owner or "")
    assert signed == this_process() and signed.pid == os.getpid()


def test_a_restarted_process_takes_back_at_once_what_its_earlier_run_was_sending(
    engine: Engine,
) -> None:
    first, second = put(engine, ("telegram", "A"), ("telegram", "A"))
    killed = SqlOutboxQueue(engine, owner("earlier-run"))
    assert ids(killed.claim(T0)) == [first]
    restarted = SqlOutboxQueue(engine, owner("this-run"))
    assert restarted.claim(T0 + SECOND) == []          # leased, and its chat waits behind it
    assert restarted.take_back(T0 + SECOND) == 1
    [again] = restarted.claim(T0 + SECOND)
    assert (again.id, again.attempts) == (first, 0)
    restarted.sent(first, T0 + SECOND, None)
    assert ids(restarted.claim(T0 + SECOND)) == [second]


def test_the_leases_of_a_process_gone_from_this_host_are_taken_back(engine: Engine) -> None:
    [message] = put(engine, ("telegram", "A"))
    SqlOutboxQueue(engine, owner("gone", pid=a_dead_pid())).claim(T0)
    starting = SqlOutboxQueue(engine, owner("starting"))
    assert starting.take_back(T0 + SECOND) == 1
    assert ids(starting.claim(T0 + SECOND)) == [message]


@pytest.mark.parametrize("holder", ["another host", "a live process here"])
def test_a_live_or_unknowable_holder_keeps_its_lease_and_renewing_keeps_it(
    engine: Engine, holder: str
) -> None:
    [message] = put(engine, ("telegram", "A"))
    working = SqlOutboxQueue(engine, owner(
        "working", pid=os.getppid(), host="other-host/0" if holder == "another host" else None,
    ))
    working.claim(T0)
    starting = SqlOutboxQueue(engine, owner("starting"))
    assert starting.take_back(T0) == 0
    assert working.renew([message], T0 + LEASE - SECOND) == 1
    assert starting.claim(T0 + LEASE) == []            # renewed: still being sent
    # Renewals stop (the holder hung or died out of sight): the lease runs out, and only then.
    [taken] = starting.claim(T0 + 2 * LEASE - SECOND)
    assert taken.id == message
    assert working.renew([message], T0 + 2 * LEASE) == 0   # not the holder any more


def test_a_worker_whose_lease_was_taken_over_does_not_put_the_message_back(
    engine: Engine,
) -> None:
    [message] = put(engine, ("telegram", "A"))
    slow, other = SqlOutboxQueue(engine, owner("slow")), SqlOutboxQueue(engine, owner("other"))
    slow.claim(T0)
    other.claim(T0 + LEASE)
    slow.retry(message, T0 + LEASE + MINUTE, "timeout")
    slow.dead(message, "400")
    stored = row(engine, message)
    assert (stored.status, stored.attempts, stored.lease_owner) == ("sending", 0, str(other.owner))
    other.sent(message, T0 + LEASE + SECOND, "tg-1")
    assert row(engine, message).status == "sent"


def test_a_lease_held_before_owners_were_recorded_simply_runs_out(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    [message] = put(engine, ("telegram", "A"))
    queue.claim(T0)
    with Session(engine) as session:
        stored = session.get(OutboxRow, message)
        assert stored is not None
        stored.lease_owner = None
        session.add(stored)
        session.commit()
    assert SqlOutboxQueue(engine, owner("starting")).take_back(T0) == 0
    assert ids(queue.claim(T0 + LEASE)) == [message]


# --- waking a channel after a success


def test_waking_a_channel_brings_its_backing_off_messages_forward_and_nothing_else(
    engine: Engine, queue: SqlOutboxQueue
) -> None:
    a, b, c = put(engine, ("telegram", "A"), ("telegram", "B"), ("wecom", "C"))
    [later] = put(engine, ("telegram", "D"), at=T0 + 10 * MINUTE)   # scheduled, never failed
    queue.claim(T0)
    for message in (a, b, c):
        queue.retry(message, T0 + 10 * MINUTE, "502 Bad Gateway")
    assert queue.wake("telegram", T0 + SECOND) == 2
    assert ids(queue.claim(T0 + SECOND)) == [a, b]
    assert row(engine, later).next_attempt_at == T0 + 10 * MINUTE
    assert row(engine, c).next_attempt_at == T0 + 10 * MINUTE


# --- several workers at once (PostgreSQL: processes share one database)


@pytest.mark.parametrize(
    "blank_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_workers_claiming_and_taking_back_at_once_send_each_message_once_in_order(
    engine: Engine, live_pids: list[int],
) -> None:
    made = put(engine, *[("telegram", f"chat-{i % 7}") for i in range(70)])
    # A dead process held some leases; four live workers start at once and share the rest.
    SqlOutboxQueue(engine, owner("killed", pid=a_dead_pid())).claim(T0, limit=5)
    workers = [SqlOutboxQueue(engine, owner(f"worker-{n}", pid=pid))
               for n, pid in enumerate(live_pids)]
    sent: list[tuple[str, int]] = []
    start = threading.Barrier(len(workers))
    failures: list[BaseException] = []

    def work(queue: SqlOutboxQueue) -> None:
        try:
            start.wait()
            queue.take_back(T0)
            while batch := queue.claim(T0, limit=3):
                for item in batch:
                    sent.append((item.message.address, item.id))
                    queue.sent(item.id, T0, None)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(i for _, i in sent) == made           # each once, none left behind
    for chat in {address for address, _ in sent}:
        in_chat = [i for address, i in sent if address == chat]
        assert in_chat == sorted(in_chat)

"""The delivery worker after an outage and across restarts: back within seconds, leases kept
while sending and taken back from a dead run."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.channels.base import RetryLater
from bot.delivery import MAX_BACKOFF_S, DeliveryWorker, backoff_s
from core.clock import SimClock
from core.messages import OutMessage
from storage.database import make_engine, upgrade
from storage.lease_owner import LeaseOwner, host_key
from storage.outbox_queue import LEASE, SqlOutboxQueue
from storage.photos import FilePhotoStore
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


class ScriptedChannel:
    """A platform that can be down, and whose sends can be held in flight."""

    name = "telegram"

    def __init__(self) -> None:
        self.is_down = False
        self.delivered: list[str] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.release.set()

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        if self.is_down:
            raise RetryLater(None, "502 Bad Gateway")
        self.started.set()
        await self.release.wait()
        self.delivered.append(f"{message.address}:{message.text}")
        return None


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """SQLite is enough here: the queue's own tests cover PostgreSQL."""
    made = make_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    upgrade(made)
    yield made
    made.dispose()


def put(engine: Engine, *chats: str, at: datetime = T0) -> None:
    with SqlUnitOfWork(engine) as uow:
        for n, chat in enumerate(chats):
            uow.outbox.put(OutMessage(channel="telegram", address=chat, text=f"#{n}"), at)
        uow.commit()


def worker(
    engine: Engine, channel: ScriptedChannel, clock: SimClock, tmp_path: Path,
    owner: LeaseOwner | None = None, renew_s: float = 10.0,
) -> DeliveryWorker:
    spread = itertools.cycle([0.0, 0.3, 0.6, 0.9])     # messages that failed together part
    return DeliveryWorker(SqlOutboxQueue(engine, owner), {"telegram": channel}, clock,
                          FilePhotoStore(tmp_path / "media"), jitter=lambda: next(spread),
                          renew_s=renew_s)


def rows(engine: Engine) -> list[OutboxRow]:
    with Session(engine) as session:
        return list(session.exec(select(OutboxRow).order_by(col(OutboxRow.id))))


def test_the_backoff_stays_within_seconds_however_often_a_message_failed() -> None:
    assert max(backoff_s(n, 0.999) for n in range(2000)) <= MAX_BACKOFF_S <= 15
    assert backoff_s(0, 0.0) >= 0.5
    assert backoff_s(3, 0.0) < backoff_s(3, 0.9) <= 8  # jitter spreads a burst of failures


async def test_after_a_long_outage_messages_follow_within_seconds_of_the_recovery(
    engine: Engine, tmp_path: Path
) -> None:
    clock, channel = SimClock(T0), ScriptedChannel()
    delivery = worker(engine, channel, clock, tmp_path)
    put(engine, "A")
    channel.is_down = True
    back = T0 + timedelta(seconds=130)
    await delivery.drain()
    while (due := delivery.queue.next_due_at()) is not None and due <= back:
        clock.set(due)                                  # every retry in the 130 s outage fails
        await delivery.drain()
    clock.set(back)
    channel.is_down = False
    due = delivery.queue.next_due_at()
    assert due is not None and due - back <= timedelta(seconds=15)
    clock.set(due)
    assert await delivery.drain() == 1


async def test_the_first_success_on_a_channel_sends_its_other_waiting_messages_at_once(
    engine: Engine, tmp_path: Path
) -> None:
    clock, channel = SimClock(T0), ScriptedChannel()
    delivery = worker(engine, channel, clock, tmp_path)
    put(engine, *[f"chat-{n}" for n in range(5)])
    channel.is_down = True
    for _ in range(4):                                  # failed 4 times: waiting 8 s and more
        await delivery.drain()
        clock.set(max(delivery.queue.next_due_at() or T0, clock.now()))
    put(engine, "chat-late", at=clock.now() + timedelta(hours=1))   # scheduled: not woken
    channel.is_down = False
    assert await delivery.drain() == 1 + 4              # one was due; its success woke the rest
    assert sorted(channel.delivered) == [f"chat-{n}:#{n}" for n in range(5)]
    assert [r.status for r in rows(engine)] == ["sent"] * 5 + ["pending"]


async def test_a_worker_renews_its_lease_while_a_send_hangs_so_no_one_takes_it_over(
    engine: Engine, tmp_path: Path
) -> None:
    clock, channel = SimClock(T0), ScriptedChannel()
    delivery = worker(engine, channel, clock, tmp_path, renew_s=0.02)
    put(engine, "A")
    channel.release.clear()
    sending = asyncio.create_task(delivery.drain())
    await asyncio.wait_for(channel.started.wait(), 10)
    other = SqlOutboxQueue(engine, LeaseOwner("other-host/0", 1, "other"))
    for _ in range(20):                                 # ten minutes of a slow upload
        clock.advance(LEASE / 2)
        await asyncio.sleep(0.1)                        # several renewals, each for a full lease
        assert other.claim(clock.now()) == []
    channel.release.set()
    assert await asyncio.wait_for(sending, 10) == 1
    assert [r.status for r in rows(engine)] == ["sent"]


async def test_a_worker_starting_sends_at_once_what_its_killed_predecessor_was_sending(
    engine: Engine, tmp_path: Path
) -> None:
    put(engine, "A", "B")
    killed = SqlOutboxQueue(engine, LeaseOwner(host_key(), os.getpid(), "killed-run"))
    assert len(killed.claim(T0)) == 2
    clock, channel = SimClock(T0 + 2 * SECOND), ScriptedChannel()
    restarted = worker(engine, channel, clock, tmp_path,
                       owner=LeaseOwner(host_key(), os.getpid(), "new-run"))
    assert await restarted.drain() == 2
    assert sorted(channel.delivered) == ["A:#0", "B:#1"]


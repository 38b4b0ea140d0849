"""Which drafts are idle and not yet nudged, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from core.dialog import ChatKey, Conversation, StoredRecord
from storage.uow import SqlUnitOfWork
from tests.databases import ON_POSTGRESQL

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)


def key(person: str) -> ChatKey:
    return ChatKey("terminal", person, person)


def touch(engine: Engine, person: str, at: datetime, flow: str = "report") -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.conversations.save(Conversation(
            key=key(person), flow=flow, step="PHOTO", updated_at=at,
            data=StoredRecord(data={"photos": []}), rev=1))
        uow.commit()


def idle_at(engine: Engine, now: datetime, limit: int = 100) -> list[str]:
    with SqlUnitOfWork(engine) as uow:
        found = uow.conversations.idle("report", touched_after=now - DAY,
                                       touched_by=now - 30 * MINUTE, limit=limit)
    return [c.key.sender for c in found]


def nudge(engine: Engine, person: str, at: datetime) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.conversations.nudged(key(person), at)
        uow.commit()


def next_touch(engine: Engine, now: datetime) -> datetime | None:
    with SqlUnitOfWork(engine) as uow:
        return uow.conversations.next_idle_touch("report", touched_after=now - DAY)


def test_idle_drafts_are_those_of_the_flow_touched_in_the_window(engine: Engine) -> None:
    now = T0 + 2 * DAY
    touch(engine, "OLDEST", now - DAY - MINUTE)  # expired: not said to be kept
    touch(engine, "W01", now - 40 * MINUTE)
    touch(engine, "W02", now - 30 * MINUTE)
    touch(engine, "W03", now - 29 * MINUTE)  # not idle long enough yet
    touch(engine, "TL-MECH", now - 40 * MINUTE, flow="follow_up")

    assert idle_at(engine, now) == ["W01", "W02"]  # the longest idle first
    assert idle_at(engine, now, limit=1) == ["W01"]
    assert next_touch(engine, now) == now - 40 * MINUTE


def test_a_nudged_draft_is_idle_again_only_after_a_new_touch(engine: Engine) -> None:
    touch(engine, "W01", T0)
    nudge(engine, "W01", T0 + 30 * MINUTE)

    assert idle_at(engine, T0 + 2 * 60 * MINUTE) == []
    assert next_touch(engine, T0 + 30 * MINUTE) is None
    with SqlUnitOfWork(engine) as uow:
        kept = uow.conversations.get(key("W01"))
    assert kept is not None and kept.updated_at == T0  # the nudge is no touch

    touch(engine, "W01", T0 + 30 * MINUTE)  # at the very instant of the nudge
    assert next_touch(engine, T0 + 30 * MINUTE) == T0 + 30 * MINUTE
    assert idle_at(engine, T0 + 60 * MINUTE) == ["W01"]


def test_a_touch_keeps_the_nudge_time_and_a_cancel_removes_both(engine: Engine) -> None:
    touch(engine, "W01", T0)
    nudge(engine, "W01", T0 + 30 * MINUTE)
    touch(engine, "W01", T0 + 31 * MINUTE)
    assert idle_at(engine, T0 + 61 * MINUTE) == ["W01"]

    with SqlUnitOfWork(engine) as uow:
        uow.conversations.delete(key("W01"))
        uow.commit()
    assert idle_at(engine, T0 + 61 * MINUTE) == []
    nudge(engine, "W01", T0 + 62 * MINUTE)  # a draft gone meanwhile: nothing to mark
    assert next_touch(engine, T0 + 62 * MINUTE) is None


@ON_POSTGRESQL
def test_a_second_sweeper_skips_the_drafts_the_first_one_holds(engine: Engine) -> None:
    for person in ("W01", "W02", "W03"):
        touch(engine, person, T0)
    now = T0 + 60 * MINUTE
    with SqlUnitOfWork(engine) as first:
        held = first.conversations.idle("report", touched_after=now - DAY,
                                        touched_by=now - 30 * MINUTE, limit=2)
        assert [c.key.sender for c in held] == ["W01", "W02"]
        assert idle_at(engine, now) == ["W03"]  # the second sweeper, meanwhile
        for draft in held:
            first.conversations.nudged(draft.key, now)
        first.commit()
    assert idle_at(engine, now) == ["W03"]

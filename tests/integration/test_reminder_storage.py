"""Reminders in SQL, on SQLite and PostgreSQL: the due query on its index, digests claimed
once per person and day, and sweepers running at the same moment sending each thing once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, event

from core.bus import EventRegistry
from core.clock import SimClock
from core.events import DigestCompiled, TicketReminded
from core.plant import Plant
from core.reminders import step_of
from core.reminding import remind_due_tickets, send_digests
from core.tickets import Status, Ticket
from storage.uow import SqlUnitOfWork
from tests.bulk_tickets import HOUR, NOW, insert_tickets, template
from tests.chat import DEMO_PLANT
from tests.databases import ON_POSTGRESQL, ON_SQLITE, plant_from

T = TypeVar("T")


def demo() -> Plant:
    return plant_from(DEMO_PLANT)


def reminded_before(plant: Plant, count: int) -> list[Ticket]:
    """Open tickets of the mechanical team whose reminder point passed, each a minute apart,
    with their deadline still ahead."""
    base = replace(template(plant), due_at=NOW + 6 * HOUR)
    return [replace(base, remind_at=NOW - timedelta(minutes=count - n)) for n in range(count)]


def stored(engine: Engine, tickets: list[Ticket]) -> list[str]:
    with engine.begin() as db:
        return insert_tickets(db, tickets)


def test_due_gives_open_tickets_whose_reminder_passed_earliest_first(engine: Engine) -> None:
    plant = demo()
    due = stored(engine, reminded_before(plant, 3))
    closed = replace(template(plant), status=Status.CLOSED, remind_at=NOW - 9 * HOUR)
    ahead = replace(template(plant), remind_at=NOW + HOUR)
    stored(engine, [closed, ahead])
    with SqlUnitOfWork(engine) as uow:
        assert [t.code for t in uow.reminders.due(NOW)] == due
        assert [t.code for t in uow.reminders.due(NOW, limit=2)] == due[:2]
        assert uow.reminders.next_due_at() == NOW - 3 * timedelta(minutes=1)


@ON_SQLITE
def test_the_due_query_reads_the_remind_at_index(engine: Engine) -> None:
    stored(engine, reminded_before(demo(), 5))
    with SqlUnitOfWork(engine) as uow:
        plans = [explained(uow, lambda: uow.reminders.due(NOW)),
                 explained(uow, uow.reminders.next_due_at)]
    for plan in plans:
        assert "USING INDEX ix_tickets_remind_at" in plan and "TEMP B-TREE" not in plan, plan


def explained(uow: SqlUnitOfWork, query: Callable[[], object]) -> str:
    """SQLite's plan for the one statement `query` runs."""
    statements: list[tuple[str, Any]] = []

    def keep(conn: object, cursor: object, statement: str, parameters: Any,
             context: object, executemany: bool) -> None:
        statements.append((statement, parameters))

    bind = uow.session.connection()
    event.listen(bind, "before_cursor_execute", keep)
    try:
        query()
    finally:
        event.remove(bind, "before_cursor_execute", keep)
    [(statement, parameters)] = statements
    rows = bind.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return " / ".join(str(row[-1]) for row in rows)


def test_a_digest_day_is_claimed_once_even_after_a_restart(engine: Engine) -> None:
    day = date(2026, 11, 30)
    with SqlUnitOfWork(engine) as uow:
        assert uow.reminders.claim_digest("DH-EQUIP", day, NOW)
        assert not uow.reminders.claim_digest("DH-EQUIP", day, NOW)
        assert uow.reminders.claim_digest("SM", day, NOW)
        uow.commit()
    engine.dispose()  # as a restarted process would: nothing in memory survives
    with SqlUnitOfWork(engine) as uow:
        assert not uow.reminders.claim_digest("DH-EQUIP", day, NOW + HOUR)
        assert uow.reminders.claim_digest("DH-EQUIP", day + timedelta(days=1), NOW + HOUR)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.reminders.last_digests() == {"DH-EQUIP": day + timedelta(days=1), "SM": day}


def test_gathered_reminders_come_back_oldest_first_and_go_when_forgotten(
    engine: Engine
) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.reminders.gather("DH-EQUIP", "HZ-261128-0001", "step-a", NOW)
        uow.reminders.gather("DH-EQUIP", "HZ-261128-0002", "step-b", NOW + HOUR)
        uow.reminders.gather("SM", "HZ-261128-0001", "step-a", NOW + 2 * HOUR)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        mine = uow.reminders.gathered("DH-EQUIP")
        assert [(g.ticket, g.step) for g in mine] == [("HZ-261128-0001", "step-a"),
                                                      ("HZ-261128-0002", "step-b")]
        assert uow.reminders.oldest_gathered() == {"DH-EQUIP": NOW, "SM": NOW + 2 * HOUR}
        uow.reminders.forget([g.id for g in mine])
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.reminders.gathered("DH-EQUIP") == []
        assert len(uow.reminders.gathered("SM")) == 1


# --- several processes sweeping at once (PostgreSQL: rows locked, others' skipped)


def at_once(engine: Engine, run: Callable[[SqlUnitOfWork], list[T]], processes: int = 3,
            ) -> list[T]:
    """`run` in `processes` threads at the same moment, each in its own unit of work, as
    separate processes would; everything each committed."""
    start = threading.Barrier(processes)
    done: list[list[T]] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with SqlUnitOfWork(engine, EventRegistry()) as uow:
                start.wait()
                found = run(uow)
                uow.commit()
            done.append(found)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return [item for found in done for item in found]


@pytest.mark.postgres
@ON_POSTGRESQL
def test_three_sweepers_at_once_remind_each_ticket_once(engine: Engine) -> None:
    plant = demo()
    codes = stored(engine, reminded_before(plant, 300))
    clock = SimClock(NOW)

    def sweep(uow: SqlUnitOfWork) -> list[TicketReminded]:
        events: list[TicketReminded] = []
        while batch := remind_due_tickets(uow=uow, plant=plant, clock=clock, limit=50):
            events += batch
        return events

    told = at_once(engine, sweep)
    assert sorted(e.code for e in told) == sorted(codes)
    with SqlUnitOfWork(engine) as uow:
        assert uow.reminders.due(NOW) == []


@pytest.mark.postgres
@ON_POSTGRESQL
def test_two_digest_senders_at_once_send_one_digest(engine: Engine) -> None:
    plant = demo()
    base = replace(template(plant), escalation_level=1, due_at=NOW + HOUR, remind_at=None)
    [code] = stored(engine, [base])
    with SqlUnitOfWork(engine) as uow:
        ticket = uow.tickets.get(code)
        assert ticket is not None
        uow.reminders.gather("DH-EQUIP", code, step_of(ticket), NOW - 12 * HOUR)
        uow.commit()
    clock = SimClock(NOW)  # 09:00 plant time: the 08:00 digest is due

    def digests(uow: SqlUnitOfWork) -> list[DigestCompiled]:
        return send_digests(uow=uow, plant=plant, clock=clock)

    [digest] = at_once(engine, digests, processes=2)
    assert (digest.person, digest.tickets) == ("DH-EQUIP", (code,))

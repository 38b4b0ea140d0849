"""The sweeps' due queries go through the deadline indexes, on SQLite and PostgreSQL.

`status IN (...)` with `ORDER BY due_at` let SQLite's planner take the status index and
read and sort every open ticket on each batch: ~0.15 s a batch among 1M stored tickets
(100k open), and the reminder sweep read them all as well. The plans are checked here,
where a change shows at once; `bench/sweep.py` measures what they cost.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Engine, event, inspect, text

from bot.plantfile import read_plant
from core.plant import Plant
from core.tickets import Status
from storage.database import alembic_config
from storage.uow import SqlUnitOfWork
from tests.bulk_tickets import NOW, copy_tickets, due_tickets, insert_tickets, stored_tickets

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"

# Each query a sweep runs, with the index that must lead it.
QUERIES: dict[str, tuple[Callable[[SqlUnitOfWork], object], str]] = {
    "tickets.due": (lambda uow: uow.tickets.due(NOW), "ix_tickets_due_at"),
    "tickets.next_due_at": (lambda uow: uow.tickets.next_due_at(), "ix_tickets_due_at"),
    "reminders.due": (lambda uow: uow.reminders.due(NOW), "ix_tickets_remind_at"),
    "reminders.next_due_at": (lambda uow: uow.reminders.next_due_at(), "ix_tickets_remind_at"),
}


@pytest.fixture(scope="module")
def plant() -> Plant:
    return read_plant(DEMO)


def statement_of(engine: Engine, query: Callable[[SqlUnitOfWork], object]) -> tuple[str, Any]:
    """The SQL (and parameters) the repository sends for `query`."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM tickets" in statement:
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with SqlUnitOfWork(engine) as uow:
            query(uow)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(sent) == 1, sent
    return sent[0]


def plan(engine: Engine, query: Callable[[SqlUnitOfWork], object]) -> str:
    """The plan as one text: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN as JSON."""
    statement, parameters = statement_of(engine, query)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return "\n".join(str(row[-1]) for row in rows)
        [[found]] = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        return json.dumps(found)


@pytest.fixture
def stocked(engine: Engine, plant: Plant) -> Iterator[Engine]:
    """20,000 stored tickets, a tenth of them open, and 200 due.

    PostgreSQL gets fresh statistics, as autovacuum would give it after such a load; SQLite
    none, as an embedded database never runs ANALYZE: its planner guesses, and guessed
    wrong for `status IN (...)`."""
    with engine.begin() as db:
        insert_tickets(db, stored_tickets(plant, 1000))
        copy_tickets(db, 1, 1000, 19)
        insert_tickets(db, due_tickets(plant, 200))
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    yield engine


def test_each_due_query_is_led_by_its_deadline_index_and_never_the_status_index(
    stocked: Engine,
) -> None:
    wrong = {}
    for name, (query, index) in QUERIES.items():
        found = plan(stocked, query)
        sorts = stocked.dialect.name == "sqlite" and "TEMP B-TREE" in found  # index gives order
        if index not in found or "ix_tickets_status" in found or sorts:
            wrong[name] = found
    assert wrong == {}


def test_the_queries_still_find_only_open_tickets_in_deadline_order(
    stocked: Engine, plant: Plant
) -> None:
    finished = []
    for status in (Status.RESOLVED, Status.CLOSED, Status.REJECTED):
        # Rows no code path writes (a finished ticket with a deadline), due before the rest.
        ticket = next(due_tickets(plant, 1, due_before=NOW.replace(year=2020)))
        ticket.status = status
        finished.append(ticket)
    with stocked.begin() as db:
        insert_tickets(db, finished)
    with SqlUnitOfWork(stocked) as uow:
        due = uow.tickets.due(NOW, limit=1000)
        reminded = uow.reminders.due(NOW, limit=1000)
        first, first_reminder = uow.tickets.next_due_at(), uow.reminders.next_due_at()
    assert len(due) == 200 and all(t.is_open for t in due)
    assert [t.due_at for t in due] == sorted(t.due_at for t in due if t.due_at)
    assert first == due[0].due_at
    assert len(reminded) == 200 and all(t.is_open for t in reminded)
    assert first_reminder == min(t.remind_at for t in reminded if t.remind_at)


def test_the_migration_clears_deadlines_left_on_tickets_that_are_not_open(
    blank_engine: Engine, plant: Plant
) -> None:
    command.upgrade(alembic_config(blank_engine), "0009")
    left = [next(due_tickets(plant, 1)) for _ in range(4)]
    for ticket, status in zip(left, (Status.CLOSED, Status.RESOLVED, Status.REJECTED,
                                     Status.IN_PROGRESS), strict=True):
        ticket.status = status
    present = {column["name"] for column in inspect(blank_engine).get_columns("tickets")}
    with blank_engine.begin() as db:
        codes = insert_tickets(db, left, columns=present)
    command.upgrade(alembic_config(blank_engine), "head")
    with blank_engine.connect() as db:
        kept = {code: due for code, due in db.execute(text("SELECT code, due_at FROM tickets"))}
    assert [kept[code] is None for code in codes] == [True, True, True, False]

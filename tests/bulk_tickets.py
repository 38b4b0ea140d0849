"""Many stored tickets, fast: rows inserted in bulk, not through the conversation.

A sweep test or bench needs thousands of due tickets among up to a million stored ones;
opening each through `open_ticket` would take minutes. Every row here is what the app
itself would store for the demo plant (the same column values, the policy copied), only
the code, the status and the clocks vary, so the sweep finds rows it could have written.

    with engine.begin() as db:
        insert_tickets(db, plant, due_tickets(plant, 5000, due_before=NOW))
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Connection, String, cast, func, insert, literal, select, true
from sqlmodel import col

from core import escalation
from core.plant import Plant, Severity
from core.tickets import Status, Ticket
from storage.tables import TicketRow
from storage.tickets import row_values

# A weekday morning in the plant's zone; every bulk ticket was reported before it.
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
# The demo plant's mechanical team, its lead and department head, and a worker who reports.
TEAM, REPORTER = "MECH", "W01"
CHUNK = 10_000  # rows per executemany: bounded memory for a million rows


def template(plant: Plant) -> Ticket:
    """A general mechanical hazard in STAMP, opened (policy copied, clocks started) at NOW."""
    ticket = Ticket(
        code="HZ-000000-0000", reporter=REPORTER, area="STAMP", category="mechanical",
        severity=Severity.GENERAL, urgency=Severity.GENERAL, description="冲床光幕失效",
        team=TEAM, created_at=NOW - 48 * HOUR, photos=["a" * 64],
    )
    escalation.open_clocks(plant, ticket, ticket.created_at)
    return ticket


def due_tickets(plant: Plant, count: int, *, due_before: datetime = NOW) -> Iterator[Ticket]:
    """Open tickets whose response deadline passed (and their reminder point before it)."""
    base = template(plant)
    for n in range(count):
        due = due_before - timedelta(minutes=1 + n % 600)
        yield replace(base, due_at=due, remind_at=due - 6 * HOUR)


def stored_tickets(plant: Plant, count: int, *, open_share: float = 0.1) -> Iterator[Ticket]:
    """Tickets not due: most closed long ago (no deadline), some open with a deadline ahead."""
    base = template(plant)
    every = max(1, round(1 / open_share)) if open_share else 0
    closed = replace(base, status=Status.CLOSED, due_at=None, remind_at=None,
                     closed_at=NOW - 24 * HOUR)
    for n in range(count):
        if every and n % every == 0:
            ahead = NOW + timedelta(minutes=1 + n % 10_000)
            yield replace(base, status=Status.ACKNOWLEDGED, due_at=ahead,
                          remind_at=NOW + timedelta(seconds=30))
        else:
            yield closed


def insert_tickets(
    db: Connection, tickets: Iterable[Ticket], *, columns: Collection[str] | None = None
) -> list[str]:
    """Insert tickets numbered after the highest day number stored; returns their codes.
    `columns` limits the row to those (a schema of an older migration lacks later ones)."""
    day = "261128"
    first = (db.execute(select(func.max(TicketRow.number))
                        .where(col(TicketRow.day) == day)).scalar() or 0) + 1
    codes: list[str] = []
    numbered = ((first + n, t) for n, t in enumerate(tickets))
    while chunk := list(islice(numbered, CHUNK)):
        rows = [_row(day, number, ticket) for number, ticket in chunk]
        if columns is not None:
            rows = [{k: v for k, v in row.items() if k in columns} for row in rows]
        db.execute(insert(TicketRow), rows)
        codes.extend(row["code"] for row in rows)
    return codes


def copy_tickets(db: Connection, first: int, last: int, copies: int) -> int:
    """Insert `copies` copies of the tickets numbered first..last, numbered on after the
    highest; returns how many rows were added. One INSERT ... SELECT: a million rows take
    seconds, where row by row from Python they take minutes."""
    table = TicketRow.__table__  # type: ignore[attr-defined]
    block = last - first + 1
    top = db.execute(select(func.max(table.c.number))).scalar() or 0
    seed = select(literal(1).label("k")).cte("copies", recursive=True)
    counter = seed.union_all(select(seed.c.k + 1).where(seed.c.k < copies))
    number = table.c.number - first + 1 + top + (counter.c.k - 1) * block
    values = {"number": number, "code": "HZ-" + table.c.day + "-" + cast(number, String)}
    columns = [c for c in table.c if c.name != "id"]
    source = (
        select(*[values.get(c.name, c) for c in columns])
        .select_from(table.join(counter, true()))
        .where(table.c.number.between(first, last))
    )
    db.execute(insert(table).from_select([c.name for c in columns], source))
    return block * copies


def _row(day: str, number: int, ticket: Ticket) -> dict[str, Any]:
    # Numbers run past 9999 here, which real days never do; codes stay unique and short.
    code = f"HZ-{day}-{number:04d}"
    return row_values(replace(ticket, code=code)) | {"day": day, "number": number}

"""A sweeper killed by SIGKILL between claiming and notifying loses nothing and doubles
nothing: the next sweeper finishes the work, each due ticket escalated and told once.

As issue 8's kill tests do, the moment is picked from outside, by what the process shows:
the sweeper (`tests/sweeper.py`, the project's own sweep in its own process) prints that it
holds its third batch claimed and half notified, uncommitted, and is killed there.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, text

from bot.plantfile import read_plant
from storage.uow import SqlUnitOfWork
from tests.bulk_tickets import NOW, due_tickets, insert_tickets
from tests.sweeper import DEMO_PLANT
from tests.sweeps import Ledger, Sweeper, first_start

DUE = 300
HOLD_AT = 250  # two batches of 100 committed; the third claimed and half told when killed
GONE_S = 30


def wait_until_gone(engine: Engine, backend: int) -> None:
    """PostgreSQL ends a killed client's session (and its locks) when it sees the socket
    close; a sweeper started before that would skip the rows still locked."""
    deadline = time.monotonic() + GONE_S
    with engine.connect() as connection:
        while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :p"),
                                 {"p": backend}).scalar_one():
            assert time.monotonic() < deadline, "the killed sweeper's session lives on"
            connection.rollback()
            time.sleep(0.05)


def test_a_sweeper_killed_between_claiming_and_notifying_loses_and_doubles_nothing(
    blank_engine: Engine, tmp_path: Path
) -> None:
    engine = blank_engine
    first_start(engine, tmp_path)
    with engine.begin() as db:
        codes = insert_tickets(db, due_tickets(read_plant(DEMO_PLANT), DUE))

    killed = Sweeper(engine, tmp_path / "killed", NOW, "--hold-at", str(HOLD_AT))
    try:
        assert killed.said() == "ready"
        held = killed.said()
        assert held.startswith("holding "), held
        before = Ledger.read(engine)
        with SqlUnitOfWork(engine) as uow:
            free = len(uow.tickets.due(NOW, limit=DUE))
        killed.process.kill()  # SIGKILL: no clean-up of any kind runs
        assert killed.process.wait(10) == -signal.SIGKILL
    finally:
        killed.stop()
    # Caught between claiming and notifying: two batches committed, the third not at all,
    # its 100 rows locked on PostgreSQL (skipped by others) and uncommitted on SQLite.
    assert sum(n for (_, kind, _), n in before.audit.items() if kind == "TicketEscalated") == 200
    due = set(codes)
    assert sum(n for (ticket, *_), n in before.messages.items() if ticket in due) == 200 * 3
    assert free == (0 if engine.dialect.name == "postgresql" else 100)
    if engine.dialect.name == "postgresql":
        wait_until_gone(engine, int(held.split()[1]))

    after = Sweeper(engine, tmp_path / "after", NOW)
    try:
        assert after.said() == "ready"
        assert after.done()["escalations"] == DUE - 200
    finally:
        after.stop()
    ledger = Ledger.read(engine)
    assert ledger.doubled() == []
    assert ledger.chain_broken_at is None
    kinds, readers = ledger.kinds(), ledger.readers()
    assert {code: kinds[code] for code in codes} == {
        code: Counter({("TicketEscalated", 1): 1}) for code in codes}
    assert {code: readers[code] for code in codes} == {
        code: Counter({"DH-EQUIP": 1, "TL-MECH": 1, "W01": 1}) for code in codes}

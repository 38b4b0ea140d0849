"""Three sweeper processes at once over thousands of due tickets, on PostgreSQL: each
escalation, each reminder and each message exactly once, the work shared between them.

Needs a server: set SAFETYLOOP_TEST_PG_URL (CI does); without it the test skips. SQLite
serves one process, whose sweeps never overlap.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.plantfile import read_plant
from tests.bulk_tickets import NOW, due_tickets, insert_tickets
from tests.sweeper import DEMO_PLANT
from tests.sweeps import Ledger, Sweeper, first_start

ESCALATIONS = 5000  # tickets whose response deadline passed
REMINDERS = 1000  # tickets whose reminder point passed, their deadline still ahead
SWEEPERS = 3
HOUR = timedelta(hours=1)


@pytest.fixture
def pg_engine(blank_engine: Engine, tmp_path: Path) -> Engine:
    first_start(blank_engine, tmp_path)
    return blank_engine


def due_work(engine: Engine) -> tuple[list[str], list[str]]:
    plant = read_plant(DEMO_PLANT)
    # 09:00 in the plant (no quiet hours): the reminder point passed, the deadline 2 h ahead.
    reminded = (replace(ticket, due_at=NOW + 2 * HOUR, remind_at=NOW - HOUR)
                for ticket in due_tickets(plant, REMINDERS))
    with engine.begin() as db:
        return insert_tickets(db, due_tickets(plant, ESCALATIONS)), insert_tickets(db, reminded)


@pytest.mark.parametrize("blank_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
@pytest.mark.timeout(900)  # ~1 min on two idle cores; a busy CI machine may take several
def test_three_sweepers_at_once_escalate_remind_and_tell_each_exactly_once(
    pg_engine: Engine, tmp_path: Path
) -> None:
    escalated, reminded = due_work(pg_engine)
    sweepers = [Sweeper(pg_engine, tmp_path / f"sweeper-{n}", NOW, "--wait-for-go")
                for n in range(SWEEPERS)]
    try:
        for sweeper in sweepers:
            assert sweeper.said() == "ready"
        for sweeper in sweepers:  # all at once: each has built its app and waits
            sweeper.go()
        done = [sweeper.done() for sweeper in sweepers]
    finally:
        for sweeper in sweepers:
            sweeper.stop()

    ledger = Ledger.read(pg_engine)
    assert ledger.doubled() == []
    assert ledger.chain_broken_at is None  # three writers, one linear audit chain
    kinds, readers = ledger.kinds(), ledger.readers()
    assert {code: kinds[code] for code in escalated} == {
        code: Counter({("TicketEscalated", 1): 1}) for code in escalated}
    assert {code: ledger.levels[code] for code in escalated} == dict.fromkeys(escalated, 1)
    # The department head is asked to act; the team lead and the reporter hear of it.
    assert {code: readers[code] for code in escalated} == {
        code: Counter({"DH-EQUIP": 1, "TL-MECH": 1, "W01": 1}) for code in escalated}
    assert {code: kinds[code] for code in reminded} == {
        code: Counter({("TicketReminded", 0): 1}) for code in reminded}
    assert {code: readers[code] for code in reminded} == {
        code: Counter({"TL-MECH": 1}) for code in reminded}
    assert sum(d["escalations"] for d in done) == ESCALATIONS
    assert sum(d["reminders"] for d in done) == REMINDERS
    # They shared the work rather than queue for it behind one long transaction.
    assert sum(1 for d in done if d["escalations"]) >= 2, done

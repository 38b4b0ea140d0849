"""Rounds in SQL, on SQLite and PostgreSQL: a round stored once per (plan, area, opening)
even when two processes generate at once, due rounds found through their two indexes, the
day's lists claimed once. PostgreSQL tests skip with a reason without
SAFETYLOOP_TEST_PG_URL."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from core.clock import SimClock
from core.inspections import Round, RoundState
from core.round_services import generate_rounds
from storage.database import make_engine
from storage.uow import SqlUnitOfWork
from tests.chat import DEMO_PLANT
from tests.databases import plant_from

MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 09:00 in Suzhou
OPENS = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def a_round(**changes: object) -> Round:
    base = Round(plan="class", area="STAMP", assignee="SO1", opens_at=OPENS,
                 closes_at=OPENS + timedelta(hours=9), checkpoints=("CP-STAMP-1", "CP-STAMP-2"),
                 due_at=OPENS + timedelta(hours=9), remind_at=OPENS + timedelta(hours=7))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_round_is_stored_once_per_plan_area_and_opening(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        first = a_round()
        assert uow.rounds.add_if_absent(first) and first.id is not None
        assert not uow.rounds.add_if_absent(a_round(assignee="SO2"))
        assert uow.rounds.add_if_absent(a_round(plan="cnc07"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        stored = uow.rounds.get(first.id)
        assert stored is not None and stored.assignee == "SO1"
        assert stored.checkpoints == ("CP-STAMP-1", "CP-STAMP-2")
        assert stored.opens_at == OPENS and stored.state is RoundState.OPEN


def test_due_finds_rounds_by_either_time_and_not_once_they_are_closed(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        reminded, closing, later = a_round(), a_round(area="WELD"), a_round(area="MOLD")
        closing.remind_at = None
        later.due_at, later.remind_at = OPENS + timedelta(days=1), OPENS + timedelta(hours=20)
        for round_ in (reminded, closing, later):
            uow.rounds.add_if_absent(round_)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        at_15 = OPENS + timedelta(hours=7)
        assert [r.area for r in uow.rounds.due(at_15)] == ["STAMP"]
        assert {r.area for r in uow.rounds.due(OPENS + timedelta(hours=9))} == {"STAMP", "WELD"}
        assert uow.rounds.next_due_at() == at_15
        done = uow.rounds.get(closing.id or 0)
        assert done is not None
        done.state, done.due_at = RoundState.COMPLETE, None
        uow.rounds.save(done)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert [r.area for r in uow.rounds.due(OPENS + timedelta(hours=9))] == ["STAMP"]


def test_a_persons_rounds_and_a_weeks_rounds_are_read_by_their_windows(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for days in range(3):
            uow.rounds.add_if_absent(a_round(opens_at=OPENS + timedelta(days=days),
                                             closes_at=OPENS + timedelta(days=days, hours=9)))
        uow.rounds.add_if_absent(a_round(area="WH", assignee="SO2"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        day = uow.rounds.for_person("SO1", OPENS - timedelta(hours=8), OPENS + timedelta(hours=16))
        assert [r.opens_at for r in day] == [OPENS]
        # 16:59 to 17:01 overlaps Monday's window only by its last minute.
        assert len(uow.rounds.for_person("SO1", OPENS + timedelta(hours=8, minutes=59),
                                         OPENS + timedelta(hours=9, minutes=1))) == 1
        assert len(uow.rounds.between(OPENS, OPENS + timedelta(days=7))) == 4


def test_a_days_list_is_claimed_once_and_a_generated_day_keeps_its_fingerprint(
    engine: Engine,
) -> None:
    monday = date(2026, 11, 30)
    with SqlUnitOfWork(engine) as uow:
        assert uow.rounds.claim_announcement("SO1", monday, MONDAY)
        assert not uow.rounds.claim_announcement("SO1", monday, MONDAY)
        assert uow.rounds.announced(monday) == {"SO1"}
        assert uow.rounds.generated(monday) is None
        uow.rounds.mark_generated(monday, "a" * 32, MONDAY)
        uow.rounds.mark_generated(monday, "b" * 32, MONDAY)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.rounds.generated(monday) == "b" * 32


def test_the_sweeps_find_due_rounds_through_the_due_and_remind_indexes(engine: Engine) -> None:
    """No OR over the two columns: each range is led by its own index."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: object, _cursor: object, statement: str, parameters: Any,
             *_: object) -> None:
        if "FROM rounds" in statement:
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with SqlUnitOfWork(engine) as uow:
            uow.rounds.due(MONDAY)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    [(statement, parameters)] = sent
    assert " OR " not in statement.upper()
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            found = "\n".join(str(row[-1]) for row in rows)
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")  # an empty table: ask the
            [[plan]] = connection.exec_driver_sql(  # planner what it would use when it fills
                f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            found = json.dumps(plan)
    assert "ix_rounds_due_at" in found and "ix_rounds_remind_at" in found, found


@pytest.mark.parametrize("blank_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_two_generators_at_once_on_separate_engines_store_each_round_once(
    engine: Engine,
) -> None:
    """Two processes' worth of generating: separate engines, transactions overlapping."""
    plant = plant_from(DEMO_PLANT)
    url = engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(2)]
    inserted, results = threading.Event(), {}

    def generate(n: int) -> None:
        with SqlUnitOfWork(engines[n]) as uow:
            if n == 1:
                inserted.wait(10)  # start while the first holds its rounds uncommitted
            results[n] = generate_rounds(uow=uow, plant=plant, clock=SimClock(MONDAY))
            if n == 0:
                inserted.set()
                threading.Event().wait(0.5)  # the other now waits on these rows
            uow.commit()

    threads = [threading.Thread(target=generate, args=(n,)) for n in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        for made in engines:
            made.dispose()
    assert results[0] and results[1] == []
    with engine.connect() as connection:
        doubled = connection.execute(text(
            "SELECT plan, area, opens_at, count(*) FROM rounds "
            "GROUP BY plan, area, opens_at HAVING count(*) > 1")).all()
        total = connection.execute(text("SELECT count(*) FROM rounds")).scalar_one()
    assert doubled == [] and total == len(results[0])


@pytest.mark.parametrize("blank_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_generators_started_together_many_times_never_double_a_round(engine: Engine) -> None:
    plant = plant_from(DEMO_PLANT)
    url = engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(3)]
    start = threading.Barrier(3)
    added: list[int] = []
    errors: list[BaseException] = []

    def generate(n: int, clock: SimClock) -> None:
        try:
            start.wait(10)
            with SqlUnitOfWork(engines[n]) as uow:
                added.append(len(generate_rounds(uow=uow, plant=plant, clock=clock)))
                uow.commit()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    try:
        for day in range(5):  # a new day each time: fresh rounds to race for
            clock = SimClock(MONDAY + timedelta(days=day))
            threads = [threading.Thread(target=generate, args=(n, clock)) for n in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
    finally:
        for made in engines:
            made.dispose()
    assert errors == []
    with engine.connect() as connection:
        total = connection.execute(text("SELECT count(*) FROM rounds")).scalar_one()
        keys = connection.execute(text(
            "SELECT count(DISTINCT (plan, area, opens_at)) FROM rounds")).scalar_one()
    assert total == keys == sum(added)

"""Chains in SQL, on SQLite and PostgreSQL: stored and read back whole, found when due, and
shared between sweepers rather than swept twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from core.chain_rules import holders, new_chain
from core.chains import Chain, StepState, open_ready
from core.plant import Plant, Severity
from core.tickets import Ticket
from storage.uow import SqlUnitOfWork
from tests.chat import DEMO_PLANT
from tests.databases import plant_from

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def demo() -> Plant:
    return plant_from(DEMO_PLANT)


def stored_chain(engine: Engine, code: str = "HZ-261130-0001", at: datetime = T0) -> Chain:
    plant = demo()
    chain = new_chain(plant, plant.chains.rules[0], code, at)
    open_ready(chain, holders(plant, chain), at)
    ticket = Ticket(code=code, reporter="W01", area="STAMP", category="electrical",
                    severity=Severity.SERIOUS, urgency=Severity.SERIOUS, description="配电柜冒烟",
                    team="ELEC", created_at=at, equipment="DB-STAMP-1", chain_running=True)
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket)
        uow.chains.add(chain)
        uow.commit()
    return chain


def test_a_chain_reads_back_as_it_was_stored_with_its_policies(engine: Engine) -> None:
    chain = stored_chain(engine)
    assert chain.id is not None and all(step.id is not None for step in chain.steps)
    with SqlUnitOfWork(engine) as uow:
        assert uow.chains.get(chain.ticket.lower()) == chain
        step = chain.steps[1]
        assert step.id is not None
        assert uow.chains.by_step(step.id) == chain
        assert uow.chains.by_step(10**6) is None


def test_saving_a_chain_keeps_every_steps_change(engine: Engine) -> None:
    chain = stored_chain(engine)
    assess = chain.steps[0]
    assess.state, assess.promised_at, assess.note = StepState.DONE, T0 + HOUR, "已评估，断电"
    chain.completed_at, chain.close_days = T0 + HOUR, 1.5
    with SqlUnitOfWork(engine) as uow:
        uow.chains.save(chain)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.chains.get(chain.ticket) == chain
        assert uow.chains.running() == []


def test_only_chains_with_a_step_due_are_found_and_the_next_due_time_is_known(
    engine: Engine,
) -> None:
    first = stored_chain(engine, "HZ-261130-0001")
    stored_chain(engine, "HZ-261130-0002", at=T0 + 3 * HOUR)
    with SqlUnitOfWork(engine) as uow:
        assert uow.chains.next_due_at() == T0 + 2 * HOUR  # the assessment's window
        assert [c.ticket for c in uow.chains.due(T0 + 2 * HOUR)] == [first.ticket]
        assert uow.chains.due(T0 + HOUR) == []
        assert len(uow.chains.due(T0 + 10 * HOUR)) == 2
        assert [c.ticket for c in uow.chains.running()] == [first.ticket, "HZ-261130-0002"]


def test_a_finished_step_is_never_due(engine: Engine) -> None:
    chain = stored_chain(engine)
    chain.steps = [replace(s, state=StepState.DONE) if s.state is StepState.OPEN else s
                   for s in chain.steps]
    with SqlUnitOfWork(engine) as uow:
        uow.chains.save(chain)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.chains.due(T0 + 10 * HOUR) == []
        assert uow.chains.next_due_at() is None


def test_two_sweepers_at_once_take_different_chains_and_wait_for_no_one(
    engine: Engine,
) -> None:
    for n in range(1, 5):
        stored_chain(engine, f"HZ-261130-000{n}")
    late = T0 + 10 * HOUR
    with SqlUnitOfWork(engine) as first:
        mine = first.chains.due(late, limit=2)
        if engine.dialect.name == "postgresql":
            with SqlUnitOfWork(engine) as second:
                theirs = second.chains.due(late, limit=10)
            assert {c.ticket for c in mine}.isdisjoint({c.ticket for c in theirs})
            assert len(mine) + len(theirs) == 4
        else:
            assert len(mine) == 2


def test_a_sweeper_skips_a_chain_whose_ticket_someone_is_acting_on(engine: Engine) -> None:
    chain = stored_chain(engine)
    with SqlUnitOfWork(engine) as acting:
        assert acting.tickets.get(chain.ticket) is not None  # a press holds the ticket
        with SqlUnitOfWork(engine) as sweeper:
            found = sweeper.chains.due(T0 + 10 * HOUR)
        assert found == ([] if engine.dialect.name == "postgresql" else [chain])

"""Sweeps in batches: every due row once, a short transaction per batch, and a bounded loop."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import SimClock
from core.plant import Plant
from core.ports import UnitOfWork
from core.services import escalate_tickets
from core.sweep import Batch, Step, sweep_in_batches
from tests.unit.core.fakes import FakeUnitOfWork, make_plant, report

PLANT = make_plant()
DAY = timedelta(days=1)


class Transactions:
    """The unit of work as a factory, counting the transactions a sweep opens."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.opened = uow, 0

    def __call__(self) -> UnitOfWork:
        self.opened += 1
        return self.uow


def escalate(clock: SimClock, plant: Plant = PLANT) -> Step:
    def step(uow: UnitOfWork, limit: int) -> Batch:
        due = uow.tickets.due(clock.now(), limit)
        return Batch(len(due), len(escalate_tickets(due, uow=uow, plant=plant, clock=clock)))

    return step


def late_tickets(uow: FakeUnitOfWork, clock: SimClock, count: int) -> list[str]:
    codes = [report(uow, PLANT, clock).code for _ in range(count)]
    uow.commit()
    clock.advance(DAY)
    return codes


def levels(uow: FakeUnitOfWork, codes: list[str]) -> list[int]:
    return [t.escalation_level for t in uow.tickets.all() if t.code in codes]


def test_a_sweep_takes_every_due_ticket_once_a_batch_per_transaction(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    codes = late_tickets(uow, clock, 250)
    transactions = Transactions(uow)
    assert sweep_in_batches(transactions, escalate(clock), size=100) == 250
    assert transactions.opened == 3  # 100, 100, then 50: a short batch means none are left
    assert levels(uow, codes) == [1] * 250
    climbed = [e for e in uow.audit.entries() if e.action == "TicketEscalated"]
    assert sorted(e.subject for e in climbed) == sorted(codes)


def test_a_second_sweep_at_the_same_instant_finds_nothing(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    late_tickets(uow, clock, 30)
    assert sweep_in_batches(Transactions(uow), escalate(clock), size=10) == 30
    again = Transactions(uow)
    assert sweep_in_batches(again, escalate(clock), size=10) == 0
    assert again.opened == 1


def test_a_last_batch_that_is_exactly_full_is_followed_by_an_empty_one(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    late_tickets(uow, clock, 20)
    transactions = Transactions(uow)
    assert sweep_in_batches(transactions, escalate(clock), size=10) == 20
    assert transactions.opened == 3


def test_what_a_batch_claimed_ends_the_loop_not_what_it_did(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    # With no ladder, a late ticket is claimed and its clock stopped, and nobody is told:
    # full batches that did nothing must not end the sweep early.
    flat = make_plant(escalation=())
    codes = [report(uow, flat, clock).code for _ in range(25)]
    uow.commit()
    clock.advance(DAY)
    transactions = Transactions(uow)
    assert sweep_in_batches(transactions, escalate(clock, flat), size=10) == 0
    assert transactions.opened == 3
    assert [t.due_at for t in uow.tickets.all() if t.code in codes] == [None] * 25


def test_a_step_that_never_moves_its_rows_on_stops_at_the_cap(uow: FakeUnitOfWork) -> None:
    transactions = Transactions(uow)
    stuck = sweep_in_batches(
        transactions, lambda _, limit: Batch(limit, 1), size=5, max_batches=7)
    assert (stuck, transactions.opened) == (7, 7)


def test_a_batch_that_fails_loses_only_itself(uow: FakeUnitOfWork, clock: SimClock) -> None:
    codes = late_tickets(uow, clock, 30)
    step = escalate(clock)
    calls = 0

    def failing_second(uow_: UnitOfWork, limit: int) -> Batch:
        nonlocal calls
        calls += 1
        batch = step(uow_, limit)
        if calls == 2:
            raise RuntimeError("the process died here")
        return batch

    with pytest.raises(RuntimeError):
        sweep_in_batches(Transactions(uow), failing_second, size=10)
    assert sorted(levels(uow, codes)) == [0] * 20 + [1] * 10
    assert sweep_in_batches(Transactions(uow), step, size=10) == 20
    assert levels(uow, codes) == [1] * 30


def test_a_batch_must_claim_something(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValueError, match="at least one"):
        sweep_in_batches(Transactions(uow), lambda _, limit: Batch(0, 0), size=0)

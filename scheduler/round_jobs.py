"""The timed work of inspection rounds: planning (today's and tomorrow's rounds, the day's
lists) and the sweep of rounds whose reminder or close is due, a batch per transaction.

`scheduler/jobs.py` lists both; each is safe in several processes at once (see
core/round_services.py).
"""

from __future__ import annotations

from datetime import datetime

from core.ports import UnitOfWork
from core.round_services import (
    announce_rounds,
    generate_rounds,
    move_due_rounds,
    next_planning_at,
)
from core.sweep import Batch, sweep_in_batches
from handlers.context import Services


def plan_rounds(services: Services) -> int:
    """Generate the rounds the plans give today and tomorrow, then send the day's lists that
    are owed; returns how many rounds and lists that made."""
    with services.uow() as uow:
        added = generate_rounds(uow=uow, plant=services.plant, clock=services.clock,
                                extra=uow.trends.added_plans())
        uow.commit()
    with services.uow() as uow:  # the lists read the rounds another process may have added
        told = announce_rounds(uow=uow, plant=services.plant, clock=services.clock)
        uow.commit()
    return len(added) + len(told)


def next_planning(services: Services) -> datetime | None:
    with services.uow() as uow:
        return next_planning_at(uow=uow, plant=services.plant, now=services.clock.now(),
                                extra=uow.trends.added_plans())


def sweep_rounds(services: Services) -> int:
    """Remind and close every due round; returns how many reminders and closings."""

    def batch(uow: UnitOfWork, limit: int) -> Batch:
        due = uow.rounds.due(services.clock.now(), limit)
        events = move_due_rounds(due, uow=uow, plant=services.plant, clock=services.clock)
        return Batch(claimed=len(due), done=len(events))  # the commit tells who hears of them

    return sweep_in_batches(services.uow, batch)


def next_round_due(services: Services) -> datetime | None:
    with services.uow() as uow:
        return uow.rounds.next_due_at()

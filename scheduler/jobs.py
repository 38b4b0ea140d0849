"""Timed work as idempotent sweeps over deadlines kept in our own tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.services import escalate_due_tickets
from handlers.context import Services
from scheduler.clock import SettableClock


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Services], int]
    next_due: Callable[[Services], datetime | None]


def sweep_escalations(services: Services) -> int:
    """Escalate every overdue ticket one rung; returns how many rungs were climbed."""
    with services.uow() as uow:
        events = escalate_due_tickets(uow=uow, plant=services.plant, clock=services.clock)
        uow.commit()  # which tells everyone who hears of an escalation
    return len(events)


def next_escalation(services: Services) -> datetime | None:
    with services.uow() as uow:
        return uow.tickets.next_due_at()


JOBS = (Job("escalations", sweep_escalations, next_escalation),)


def run_all(services: Services) -> int:
    return sum(job.run(services) for job in JOBS)


def next_due(services: Services) -> datetime | None:
    return min((d for d in (job.next_due(services) for job in JOBS) if d is not None), default=None)


def run_until(services: Services, clock: SettableClock, until: datetime,
              after_each: Callable[[], None] = lambda: None) -> None:
    """Set a clock forward to `until`, running the jobs at each moment one falls due."""
    while (step := next_due(services)) is not None and step <= until:
        clock.set(max(step, clock.now()))
        run_all(services)
        after_each()
        if next_due(services) == step:  # nothing moved on: do not spin
            break
    clock.set(max(until, clock.now()))
    run_all(services)
    after_each()

"""Timed work as idempotent sweeps over deadlines kept in our own tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.ports import UnitOfWork
from core.services import escalate_tickets
from core.sweep import Batch, sweep_in_batches
from handlers.context import Services
from handlers.draft_nudges import next_draft_nudge, nudge_idle_drafts
from scheduler.chain_jobs import next_chain_step, sweep_chain_steps
from scheduler.clock import SettableClock
from scheduler.monthly_jobs import next_monthly, send_monthly_reports
from scheduler.reminder_jobs import next_digest, next_reminder, sweep_digests, sweep_reminders
from scheduler.round_jobs import next_planning, next_round_due, plan_rounds, sweep_rounds
from scheduler.trend_jobs import next_scan, scan_nightly


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[Services], int]
    next_due: Callable[[Services], datetime | None]


def sweep_escalations(services: Services) -> int:
    """Escalate every overdue ticket one rung, a batch per transaction; returns how many
    rungs were climbed."""

    def batch(uow: UnitOfWork, limit: int) -> Batch:
        due = uow.tickets.due(services.clock.now(), limit)
        events = escalate_tickets(due, uow=uow, plant=services.plant, clock=services.clock)
        return Batch(claimed=len(due), done=len(events))  # the commit tells who hears of them

    return sweep_in_batches(services.uow, batch)


def next_escalation(services: Services) -> datetime | None:
    with services.uow() as uow:
        return uow.tickets.next_due_at()


JOBS = (
    Job("escalations", sweep_escalations, next_escalation),
    Job("chain_steps", sweep_chain_steps, next_chain_step),
    # After the escalations: a ticket that climbed has its reminder moved with it.
    Job("reminders", sweep_reminders, next_reminder),
    Job("digests", sweep_digests, next_digest),
    Job("draft_nudges", nudge_idle_drafts, next_draft_nudge),
    # Planning before the sweep: a round generated after its reminder point is reminded now.
    Job("round_plans", plan_rounds, next_planning),
    Job("rounds", sweep_rounds, next_round_due),
    Job("trend_scan", scan_nightly, next_scan),  # 02:00 plant time, once a day
    # 08:00 on the 1st, and every /report YYYY-MM waiting.
    Job("monthly_reports", send_monthly_reports, next_monthly),
)


def run_all(services: Services) -> int:
    return sum(job.run(services) for job in JOBS)


def next_due(services: Services) -> datetime | None:
    return min((d for d in (job.next_due(services) for job in JOBS) if d is not None), default=None)


def run_until(services: Services, clock: SettableClock, until: datetime,
              after_each: Callable[[], None] = lambda: None) -> None:
    """Set a clock forward to `until`, running the jobs at each moment one falls due."""
    while (step := next_due(services)) is not None and step <= until:
        _forward(clock, step)
        run_all(services)
        after_each()
        if next_due(services) == step:  # nothing moved on: do not spin
            break
    _forward(clock, until)
    run_all(services)
    after_each()


def _forward(clock: SettableClock, instant: datetime) -> None:
    """Set the clock to `instant` unless it is already past it. `--clock sim` runs on in real
    time, so a clock read as behind may be past `instant` by the time it is set."""
    try:
        clock.set(instant)
    except ValueError:
        if clock.now() < instant:
            raise

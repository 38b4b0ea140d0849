"""The timed work of reminders: the sweep of due reminders and the daily digests.

`scheduler/jobs.py` lists them among its jobs; each runs in its own transactions, so a
second process running them at the same moment finds nothing left to send.
"""

from __future__ import annotations

from datetime import datetime

from core.ports import UnitOfWork
from core.reminding import next_digest_at, remind_tickets, send_digests
from core.sweep import Batch, sweep_in_batches
from handlers.context import Services


def sweep_reminders(services: Services) -> int:
    """Remind the holder of every ticket whose reminder is due, a batch per transaction
    (core/sweep.py); returns how many reminders were recorded."""

    def batch(uow: UnitOfWork, limit: int) -> Batch:
        due = uow.reminders.due(services.clock.now(), limit)
        told = remind_tickets(due, uow=uow, plant=services.plant, clock=services.clock)
        return Batch(claimed=len(due), done=len(told))  # each swept ticket's reminder moved

    return sweep_in_batches(services.uow, batch)


def next_reminder(services: Services) -> datetime | None:
    with services.uow() as uow:
        return uow.reminders.next_due_at()


def sweep_digests(services: Services) -> int:
    """Send the digests whose time came; returns how many were sent."""
    with services.uow() as uow:
        sent = send_digests(uow=uow, plant=services.plant, clock=services.clock)
        uow.commit()
    return len(sent)


def next_digest(services: Services) -> datetime | None:
    with services.uow() as uow:
        oldest, last = uow.reminders.oldest_gathered(), uow.reminders.last_digests()
    return next_digest_at(services.plant, oldest, last)

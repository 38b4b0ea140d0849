"""The sweep of cross-department chains: late steps remind their holders, then warn their
superiors, a batch of chains per transaction."""

from __future__ import annotations

from datetime import datetime

from core.chain_services import late_steps
from core.ports import UnitOfWork
from core.sweep import Batch, sweep_in_batches
from handlers.context import Services


def sweep_chain_steps(services: Services) -> int:
    """Move every late step one rung; returns how many reminders and warnings that gave."""

    def batch(uow: UnitOfWork, limit: int) -> Batch:
        due = uow.chains.due(services.clock.now(), limit)
        events = late_steps(due, uow=uow, plant=services.plant, clock=services.clock)
        return Batch(claimed=len(due), done=len(events))  # the commit tells who hears of them

    return sweep_in_batches(services.uow, batch)


def next_chain_step(services: Services) -> datetime | None:
    with services.uow() as uow:
        return uow.chains.next_due_at()

"""Sweeps in batches: each batch claims a few due rows in its own short transaction, moves
them on and commits, until a batch comes back short.

Every `safetyloop run` sweeps, so several processes may sweep at once. On PostgreSQL a
batch locks what it claims and skips rows another sweeper holds (`FOR UPDATE SKIP
LOCKED`), so they share the work rather than queue behind one long transaction; short
transactions also keep the audit chain's lock brief. A sweeper killed mid-batch loses
only that batch's uncommitted work: its rows are still due, nobody was told (the outbox
rows roll back with the change), and the next sweep takes them. Escalations, reminders,
chain steps and rounds all sweep this way, each with its own `step`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.ports import UnitOfWork

# Rows per transaction: big enough that a batch's commit is cheap beside its work, small
# enough that a lock is held for a fraction of a second.
BATCH = 100
# A step that claimed rows without moving them on would find them again for ever; after
# this many full batches (100,000 rows) a sweep stops and the next run goes on.
MAX_BATCHES = 1000


@dataclass(frozen=True)
class Batch:
    """What one transaction of a sweep did."""

    claimed: int  # due rows the step took: fewer than asked means none are left for it
    done: int  # what the sweep counts: escalations, reminders, messages


# One batch: claim at most `limit` due rows on the unit of work and move each on.
Step = Callable[[UnitOfWork, int], Batch]


def sweep_in_batches(
    uow: Callable[[], UnitOfWork], step: Step, *, size: int = BATCH,
    max_batches: int = MAX_BATCHES,
) -> int:
    """Run `step` a batch per transaction until one claims fewer than `size` rows (nothing
    more is due, or other sweepers hold the rest); the sum of what the batches did."""
    if size < 1:
        raise ValueError("a batch must claim at least one row")
    done = 0
    for _ in range(max_batches):
        with uow() as work:
            batch = step(work, size)
            work.commit()
        done += batch.done
        if batch.claimed < size:
            break
    return done

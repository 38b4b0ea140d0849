"""An in-memory fake of the chain repository (core/ports.py `ChainRepository`)."""

from __future__ import annotations

import copy
from datetime import datetime

from core.chains import ACTIVE, Chain


class FakeChainRepository:
    """Stores copies, as a database would: changing a chain means nothing until `save`."""

    def __init__(self) -> None:
        self._rows: dict[int, Chain] = {}
        self._next_step = 1

    def add(self, chain: Chain) -> None:
        if any(row.ticket == chain.ticket for row in self._rows.values()):
            raise ValueError(f"a second chain for {chain.ticket}")
        chain.id = len(self._rows) + 1
        for step in chain.steps:
            step.id, self._next_step = self._next_step, self._next_step + 1
        self._rows[chain.id] = copy.deepcopy(chain)

    def get(self, ticket: str) -> Chain | None:
        wanted = ticket.strip().upper()
        return copy.deepcopy(next((c for c in self._rows.values() if c.ticket == wanted), None))

    def by_step(self, step_id: int) -> Chain | None:
        found = next((c for c in self._rows.values() if c.step_by_id(step_id)), None)
        return copy.deepcopy(found)

    def save(self, chain: Chain) -> None:
        if chain.id not in self._rows:
            raise LookupError(chain.ticket)
        self._rows[chain.id] = copy.deepcopy(chain)

    def running(self, limit: int = 100) -> list[Chain]:
        return [copy.deepcopy(c) for c in self._rows.values() if c.running][:limit]

    def due(self, now: datetime, limit: int = 100) -> list[Chain]:
        due = [c for c in self._rows.values()
               if any(s.state in ACTIVE and s.due_at is not None and s.due_at <= now
                      for s in c.steps)]
        return [copy.deepcopy(c) for c in due[:limit]]

    def next_due_at(self) -> datetime | None:
        return min((s.due_at for c in self._rows.values() for s in c.steps
                    if s.state in ACTIVE and s.due_at is not None), default=None)

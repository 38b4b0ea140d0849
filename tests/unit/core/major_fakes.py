"""An in-memory fake of core.ports.MajorRegister."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.major_hazards import RemediationPlan
from core.tickets import Ticket


class FakeMajorRegister:
    """Plans by ticket code; the register reads the graded tickets through `tickets`, a
    function (the unit of work snapshots its stores by copying them, and a function stays)."""

    def __init__(self, tickets: Callable[[], Iterable[Ticket]]) -> None:
        self.tickets = tickets
        self.plans: dict[str, RemediationPlan] = {}

    def plan(self, code: str) -> RemediationPlan | None:
        return self.plans.get(code.strip().upper())

    def save_plan(self, plan: RemediationPlan) -> None:
        self.plans[plan.code] = plan

    def graded(self) -> list[tuple[Ticket, RemediationPlan | None]]:
        graded = [t for t in self.tickets() if t.major_at is not None]
        graded.sort(key=lambda t: (t.major_at, t.id or 0))
        return [(t, self.plans.get(t.code)) for t in graded]

"""In-memory fakes of the round and check-in repositories (core/inspections.py), a unit of
work that holds them, and a small plant with inspection plans."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from core.inspections import CheckIn, ChecklistAnswer, Round, RoundState
from core.plant import Area, Checkpoint, Person, Plant, RiskClass, Role
from core.round_settings import InspectionSettings, SpecialPlan
from tests.unit.core.fakes import FakeUnitOfWork, make_plant


class FakeRoundRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Round] = {}
        self.days: dict[date, str] = {}
        self.told: set[tuple[str, date]] = set()

    def add_if_absent(self, round_: Round) -> bool:
        key = (round_.plan, round_.area, round_.opens_at)
        if any((r.plan, r.area, r.opens_at) == key for r in self.rows.values()):
            return False
        round_.id = max(self.rows, default=0) + 1
        self.rows[round_.id] = copy.deepcopy(round_)
        return True

    def get(self, round_id: int) -> Round | None:
        found = self.rows.get(round_id)
        return copy.deepcopy(found) if found else None

    def save(self, round_: Round) -> None:
        assert round_.id in self.rows
        self.rows[round_.id] = copy.deepcopy(round_)

    def for_person(self, person: str, since: datetime, until: datetime) -> list[Round]:
        return [copy.deepcopy(r) for r in self._sorted()
                if r.assignee == person and r.opens_at < until and r.closes_at > since]

    def between(self, since: datetime, until: datetime) -> list[Round]:
        return [copy.deepcopy(r) for r in self._sorted() if since <= r.opens_at < until]

    def due(self, now: datetime, limit: int = 100) -> list[Round]:
        found = [r for r in self.rows.values() if r.state is RoundState.OPEN and any(
            at is not None and at <= now for at in (r.due_at, r.remind_at))]
        return [copy.deepcopy(r) for r in sorted(found, key=lambda r: r.id or 0)][:limit]

    def next_due_at(self) -> datetime | None:
        times = [at for r in self.rows.values() if r.state is RoundState.OPEN
                 for at in (r.due_at, r.remind_at) if at is not None]
        return min(times, default=None)

    def generated(self, day: date) -> str | None:
        return self.days.get(day)

    def mark_generated(self, day: date, fingerprint: str, at: datetime) -> None:
        self.days[day] = fingerprint

    def claim_announcement(self, person: str, day: date, at: datetime) -> bool:
        if (person, day) in self.told:
            return False
        self.told.add((person, day))
        return True

    def announced(self, day: date) -> set[str]:
        return {person for person, told in self.told if told == day}

    def _sorted(self) -> list[Round]:
        return sorted(self.rows.values(), key=lambda r: (r.opens_at, r.id or 0))


class FakeCheckInRepository:
    def __init__(self) -> None:
        self.rows: dict[int, CheckIn] = {}
        self.given: list[ChecklistAnswer] = []

    def add(self, checkin: CheckIn) -> CheckIn:
        stored = replace(checkin, id=max(self.rows, default=0) + 1)
        assert stored.id is not None
        self.rows[stored.id] = stored
        return stored

    def get(self, checkin_id: int) -> CheckIn | None:
        return self.rows.get(checkin_id)

    def for_round(self, round_id: int) -> list[CheckIn]:
        return [c for c in self.rows.values() if c.round_id == round_id]

    def answer(self, answer: ChecklistAnswer) -> None:
        self.given.append(answer)

    def answers(self, checkin_id: int) -> list[ChecklistAnswer]:
        return [a for a in self.given if a.checkin_id == checkin_id]


class RoundsUnitOfWork(FakeUnitOfWork):
    """The fake unit of work with rounds and check-ins, rolled back with the rest."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.rounds = FakeRoundRepository()
        self.checkins = FakeCheckInRepository()
        super().__init__(*args, **kwargs)

    def _stores(self) -> tuple[object, ...]:
        return (*super()._stores(), self.rounds, self.checkins)


def plant_with_rounds(**settings: Any) -> Plant:
    """The tiny plant with three areas (A, B and C), a checkpoint or two each, SO1 holding
    them all; `settings` change the `inspections` section."""
    base = make_plant()
    return replace(
        base,
        people=(*base.people, Person(id="SO2", name="刘洋", roles=(Role.SAFETY_OFFICER,))),
        areas=(
            Area(id="MACH", name="机加工车间", risk_class=RiskClass.A),
            Area(id="PAINT", name="喷涂车间", risk_class=RiskClass.B),
            Area(id="WH", name="仓库", risk_class=RiskClass.C),
        ),
        checkpoints=(
            Checkpoint(id="CP-MACH-1", area="MACH", lat=31.3169, lon=120.71975),
            Checkpoint(id="CP-MACH-2", area="MACH", lat=31.3165, lon=120.7204),
            Checkpoint(id="CP-PAINT-1", area="PAINT", lat=31.3170, lon=120.7176),
            Checkpoint(id="CP-WH-1", area="WH", lat=31.3156, lon=120.7220),
        ),
        inspections=InspectionSettings(**{
            "inspectors": {"SO1": ("MACH", "PAINT"), "SO2": ("WH",)}, **settings}),
    )


CNC07 = SpecialPlan(id="cnc07", area="MACH", checkpoints=("CP-MACH-1",),
                    times=("08:00-12:00", "13:00-17:00"), name="CNC-07 点检")

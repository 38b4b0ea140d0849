"""Round coverage (巡检覆盖率) by ISO week of the plant: each round's outcome, and per area how
many rounds were done on time, late, partly, missed, or are still open."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core.inspections import Round
from core.plant import Plant
from core.ports import UnitOfWork
from core.round_progress import Outcome, closed, left, outcome
from core.round_services import done_in
from core.rounds import day_start, plant_day

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)


@dataclass(frozen=True)
class RoundResult:
    """A round with when each of its checkpoints was done, and what that makes of it."""

    round: Round
    done: dict[str, datetime]
    outcome: Outcome
    missed: tuple[str, ...]  # checkpoints not done by the close, once it closed


@dataclass(frozen=True)
class AreaCoverage:
    area: str
    counts: Counter[Outcome] = field(default_factory=Counter)

    @property
    def rounds(self) -> int:
        return sum(self.counts.values())


def parse_week(text: str) -> tuple[int, int]:
    """`2026-W49` (or 2026W49) as (year, week); ValueError for anything else."""
    found = _WEEK.fullmatch(text.strip())
    if found is None:
        raise ValueError(f"not an ISO week: {text!r} (write e.g. 2026-W49)")
    year, week = int(found.group(1)), int(found.group(2))
    date.fromisocalendar(year, week, 1)  # raises ValueError for a week the year lacks
    return year, week


def week_name(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


def week_of(plant: Plant, instant: datetime) -> tuple[int, int]:
    calendar = plant_day(plant, instant).isocalendar()
    return calendar.year, calendar.week


def week_bounds(plant: Plant, year: int, week: int) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 in the plant's zone."""
    monday = date.fromisocalendar(year, week, 1)
    return day_start(plant, monday), day_start(plant, monday + timedelta(days=7))


def results(uow: UnitOfWork, rounds: Iterable[Round], now: datetime) -> list[RoundResult]:
    out = []
    for round_ in rounds:
        done = done_in(uow, round_)
        missed = left(round_, done, by=round_.closes_at) if closed(round_, now) else ()
        out.append(RoundResult(round_, done, outcome(round_, done, now), missed))
    return out


def coverage(plant: Plant, found: Sequence[RoundResult]) -> list[AreaCoverage]:
    """Per area with rounds, in plant.yaml's order (areas no longer in it last)."""
    by_area: dict[str, AreaCoverage] = {}
    for result in found:
        area = by_area.setdefault(result.round.area, AreaCoverage(result.round.area))
        area.counts[result.outcome] += 1
    order = {a.id: i for i, a in enumerate(plant.areas)}
    return sorted(by_area.values(), key=lambda a: (order.get(a.area, len(order)), a.area))


def totals(areas: Iterable[AreaCoverage]) -> Counter[Outcome]:
    total: Counter[Outcome] = Counter()
    for area in areas:
        total.update(area.counts)
    return total

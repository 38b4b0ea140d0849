"""Trend warnings (趋势预警): a machine whose hazards of one category keep coming back.

The database groups the valid reports of the last months by machine and category and
returns the clusters of at least `min_count` within the window (`TrendBook.clusters`, a
GROUP BY); this module reads, for each occurrence of a flagged machine, how long the
machine had run without stopping when it was reported (the run period containing the report
time: report time − period start), and whether most occurrences followed long runs.
A warning is kept once per (machine, category, plant day the window ends); the nightly scan
(scheduler/trend_jobs.py) may run again, or in two processes, and adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from core.round_settings import SpecialPlan
from core.usage_rows import RunPeriod

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Cluster:
    """What the GROUP BY finds: a machine and category reported `count` times in the window."""

    equipment: str
    category: str
    count: int


@dataclass(frozen=True)
class TrendWarning:
    equipment: str
    category: str
    window_end: date  # the plant day the window ends on: one warning per pair and day
    count: int
    window_days: int
    # Hours of continuous running before each occurrence, oldest first (None: not running);
    # None for the whole list when the machine has no run log over the window.
    run_hours_before: tuple[float | None, ...] | None
    long_run_hours: float
    created_at: datetime
    id: int | None = None

    @property
    def after_long_runs(self) -> int:
        """How many occurrences followed more than `long_run_hours` of running."""
        return sum(1 for h in self.run_hours_before or () if h is not None
                   and h > self.long_run_hours)

    @property
    def mostly_after_long_runs(self) -> bool:
        """More than half of the occurrences followed long runs."""
        return self.run_hours_before is not None and 2 * self.after_long_runs > self.count


@dataclass(frozen=True)
class TrendWarned:
    """A new warning was kept; the safety managers hear of it (handlers/warnings.py)."""

    warning: int


class TrendBook(Protocol):
    """Trend warnings, their inputs and the special plans added from them (storage/trends.py)."""

    def clusters(self, *, since: datetime, window_from: datetime, until: datetime,
                 min_count: int) -> list[Cluster]:
        """Valid tickets reported in [since, until) naming equipment, grouped by machine and
        category; the groups with at least `min_count` reported in [window_from, until),
        counted over that window."""
        ...
    def occurrences(self, equipment: str, category: str, *, since: datetime,
                    until: datetime) -> list[datetime]:
        """Report times of the pair's valid tickets in [since, until), oldest first."""
        ...
    def run_periods(self, equipment: str, *, since: datetime, until: datetime) -> list[RunPeriod]:
        """The machine's run periods that share time with [since, until), oldest first."""
        ...
    def add_if_absent(self, warning: TrendWarning) -> TrendWarning | None:
        """Keep a warning unless its (machine, category, window end) is kept; with its id."""
        ...
    def get(self, warning_id: int) -> TrendWarning | None: ...
    def previous(self, equipment: str, category: str, *, before: date) -> TrendWarning | None:
        """The pair's latest warning of an earlier day."""
        ...
    def latest(self) -> list[TrendWarning]:
        """The warnings of the last day any was kept, by count, most first."""
        ...
    def scanned(self, day: date) -> bool: ...
    def mark_scanned(self, day: date, at: datetime) -> None: ...
    def add_plan(self, plan: SpecialPlan, *, warning: int, by: str, at: datetime) -> bool:
        """Keep a special inspection plan added at run time; False when its id is taken."""
        ...
    def added_plans(self) -> tuple[SpecialPlan, ...]:
        """The plans added at run time, oldest first: the round generator reads them too."""
        ...


def run_hours_before(periods: Sequence[RunPeriod], at: datetime) -> float | None:
    """Hours the machine had run without stopping at `at`; None when it was not running."""
    for period in periods:
        if period.start <= at < period.end:
            return (at - period.start) / HOUR
    return None


def run_hours(periods: Sequence[RunPeriod],
              occurrences: Sequence[datetime]) -> tuple[float | None, ...] | None:
    """One entry per occurrence, or None when there is no run log to read."""
    if not periods:
        return None
    return tuple(run_hours_before(periods, at) for at in occurrences)


def is_news(warning: TrendWarning, previous: TrendWarning | None) -> bool:
    """Worth telling: a first warning of the pair, one that grew, or one back after a quiet
    window. The same cluster found again the next night is listed, not announced again."""
    if previous is None or warning.count > previous.count:
        return True
    return (warning.window_end - previous.window_end).days >= warning.window_days


PLAN_PREFIX = "trend-"


def plan_id(equipment: str, category: str) -> str:
    """The special plan a warning adds: one per machine and category, so a replayed press or
    a later warning of the same pair finds it there."""
    return f"{PLAN_PREFIX}{equipment}-{category}"[:64]


def watched(plan: str, categories: Iterable[str]) -> tuple[str, str | None] | None:
    """The machine and category a warning's plan watches, read back from its id (`plan_id`);
    the category None when none of `categories` ends it; None for any other plan."""
    if not plan.startswith(PLAN_PREFIX):
        return None
    rest = plan.removeprefix(PLAN_PREFIX)
    for category in sorted(categories, key=len, reverse=True):  # the longest suffix wins
        if rest.endswith(f"-{category}") and len(rest) > len(category) + 1:
            return rest[: -len(category) - 1], category
    return rest, None

"""The month's KPIs, as issue 12 defines them (the README repeats each definition).

Month M is a calendar month in the plant's time zone (core/figures.py); only valid tickets
count; a department's scope is the tickets in the areas it owns. The database does the
counting (`KpiSource`, storage/kpi.py); this module says what is counted and turns the
counts into the record `safetyloop kpi` prints, with None wherever there is no data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core.figures import Month, month_of, roster
from core.injuries import InjuryBook, InjuryKind, longest_safe_streak, ltifr, safe_days, trir
from core.plant import Plant, Severity

REPEAT_DAYS = 90  # an earlier report of the same machine and category this recent: a repeat


@dataclass(frozen=True)
class SlaRule:
    """A severity's deadline: `reported_at + window`, met when `measured_by` (the time of
    acknowledging, or of resolving) is not later."""

    severity: str
    window: timedelta
    measured_by: str  # "acknowledged_at" or "resolved_at"


def sla_rules(plant: Plant) -> tuple[SlaRule, ...]:
    """General tickets must be acknowledged within the acknowledge window; serious and
    critical ones handled (resolved) within the resolve window (the acknowledge window
    where plant.yaml sets none)."""
    rules = []
    for severity, window in plant.sla.items():
        if severity is Severity.GENERAL:
            rules.append(SlaRule(severity.value, window.acknowledge_within, "acknowledged_at"))
        else:
            within = window.resolve_within or window.acknowledge_within
            rules.append(SlaRule(severity.value, within, "resolved_at"))
    return tuple(rules)


def sla_deadline(rules: tuple[SlaRule, ...], severity: str, reported_at: datetime) -> datetime:
    rule = next(r for r in rules if r.severity == severity)
    return reported_at + rule.window


@dataclass(frozen=True)
class TicketQuery:
    """What the database counts for one month and scope."""

    start: datetime
    end: datetime
    as_of: datetime
    areas: tuple[str, ...] | None  # None: the whole plant
    rules: tuple[SlaRule, ...]
    repeat_days: int = REPEAT_DAYS


@dataclass(frozen=True)
class TicketFigures:
    reported: int
    by_area: dict[str, int]
    by_category: dict[str, int]
    by_severity: dict[str, int]
    by_status: dict[str, int]
    response_hours_mean: float | None
    response_hours_median: float | None
    close_hours_mean: float | None
    close_hours_median: float | None
    due: int  # reported in M, SLA deadline passed at as_of
    met: int  # of those, the deadline met
    with_equipment: int  # reported in M naming equipment
    repeats: int  # of those, a repeat
    escalations: int
    cross_dept_close_days: float | None


class KpiSource(Protocol):
    def tickets(self, query: TicketQuery) -> TicketFigures: ...


class HoursSource(Protocol):
    def total(self, *, first: date, last: date, department: str | None = None) -> float | None:
        ...


@dataclass(frozen=True)
class Kpis:
    """`safetyloop kpi --format json`: exactly these keys."""

    reported: int
    by_area: dict[str, int]
    by_category: dict[str, int]
    by_severity: dict[str, int]
    by_status: dict[str, int]
    response_hours_mean: float | None
    response_hours_median: float | None
    close_hours_mean: float | None
    close_hours_median: float | None
    on_time_rate: float | None
    repeat_rate: float | None
    reports_per_person: float | None
    escalations: int
    cross_dept_close_days: float | None
    ltifr: float | None
    trir: float | None
    safe_days: int | None
    longest_safe_streak_this_year: int | None
    longest_safe_streak_last_year: int | None
    hazards_per_injury: float | None
    # By department id; filled by the safety health index once it is built.
    health_index: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def parse_month(text: str) -> tuple[int, int]:
    """`YYYY-MM` as (year, month); raises ValueError otherwise."""
    year, dash, month = text.strip().partition("-")
    if not (dash and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()):
        raise ValueError(text)
    if not 1 <= int(month) <= 12:
        raise ValueError(text)
    return int(year), int(month)


def scope_areas(plant: Plant, department: str | None) -> tuple[str, ...] | None:
    """The areas a department owns (None for the whole plant); ValueError if unknown."""
    if department is None:
        return None
    if department not in plant.departments_by_id:
        raise ValueError(department)
    return tuple(area.id for area in plant.areas if area.department == department)


def headcount(plant: Plant, department: str | None) -> int:
    if department is None:
        return len(plant.people)
    return sum(1 for placed in roster(plant).values() if placed == department)


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _last_day(month: Month) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def month_kpis(
    *, plant: Plant, source: KpiSource, injuries: InjuryBook, hours: HoursSource,
    year: int, month: int, as_of: datetime, department: str | None = None,
    health_index: Mapping[str, float] | None = None,
) -> Kpis:
    """The month's KPIs for the plant or one department, as they stood at `as_of`."""
    span = month_of(plant, year, month)
    areas = scope_areas(plant, department)
    figures = source.tickets(TicketQuery(span.start, span.end, as_of, areas, sla_rules(plant)))
    first, last = date(year, month, 1), _last_day(span)
    counts = injuries.counts(first=first, last=last, department=department)
    worked = hours.total(first=first, last=first, department=department)
    today = as_of.astimezone(ZoneInfo(plant.timezone)).date()
    last_lost = injuries.last_lost_time(on_or_before=today, department=department)
    this_year, last_year = _streaks(injuries, today, department) if last_lost else (None, None)
    return Kpis(
        reported=figures.reported, by_area=figures.by_area, by_category=figures.by_category,
        by_severity=figures.by_severity, by_status=figures.by_status,
        response_hours_mean=figures.response_hours_mean,
        response_hours_median=figures.response_hours_median,
        close_hours_mean=figures.close_hours_mean, close_hours_median=figures.close_hours_median,
        on_time_rate=ratio(figures.met, figures.due),
        repeat_rate=ratio(figures.repeats, figures.with_equipment),
        reports_per_person=ratio(figures.reported, headcount(plant, department)),
        escalations=figures.escalations, cross_dept_close_days=figures.cross_dept_close_days,
        ltifr=ltifr(counts, worked), trir=trir(counts, worked),
        safe_days=safe_days(last_lost, today),
        longest_safe_streak_this_year=this_year, longest_safe_streak_last_year=last_year,
        hazards_per_injury=ratio(figures.reported, sum(counts.get(k, 0) for k in InjuryKind)),
        health_index=dict(health_index or {}),
    )


def _streaks(injuries: InjuryBook, today: date, department: str | None) -> tuple[int, int]:
    """The longest safe streaks of this year (to today) and of last year."""
    start_last = date(today.year - 1, 1, 1)
    days = injuries.lost_time_days(first=start_last, last=today, department=department)
    return (longest_safe_streak(days, date(today.year, 1, 1), today),
            longest_safe_streak(days, start_last, date(today.year - 1, 12, 31)))

"""The safety health index (安全健康指数): per department per month, 0–100, higher is
healthier, from four dimensions scored 0–100 and weighted (core/index_settings.py):

- density: valid reports per 1,000 m² of the department's areas. Up to `density_ideal` it
  reads as engagement (0 reports → 0, the ideal → 100); beyond it as risk, falling linearly
  to 0 at `density_worst`.
- rectification: tickets rectified (resolved) on time ÷ tickets due, × 100; due when
  `reported_at` + the severity's resolve window has passed (the KPIs' SLA query,
  core/kpi.py, measuring every severity by its resolve time); 100 when nothing fell due.
- recurrence: 100 × (1 − repeat rate ÷ `recurrence_worst`), at least 0; the KPIs' repeat
  rule; 100 when no report named equipment.
- severity: the mean of `severity_weights` over the month's reports, s; 100 × (1 − (s − 1)
  ÷ (`severity_worst` − 1)), at least 0; 100 with no reports.

index = Σ weight × score ÷ Σ weight, rounded to one decimal. The counts come from the KPIs'
SQL (`KpiSource`), one query set per department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.figures import month_of
from core.index_settings import DIMENSIONS, HealthIndexSettings
from core.kpi import KpiSource, SlaRule, TicketFigures, TicketQuery
from core.plant import Plant


@dataclass(frozen=True)
class IndexScore:
    department: str
    density: float  # valid reports per 1,000 m²
    rectification: float | None  # on time ÷ due
    recurrence: float | None  # repeat rate
    severity: float | None  # mean severity weight
    scores: dict[str, float]  # dimension → 0–100
    index: float


class HealthIndexSource(Protocol):
    """The index by department for a month (storage/health_index.py): `safetyloop kpi`
    fills its `health_index` key from here."""

    def breakdown(self, plant: Plant, year: int, month: int, *,
                  as_of: datetime) -> dict[str, IndexScore]: ...
    def health_index(self, plant: Plant, year: int, month: int, *,
                     as_of: datetime) -> dict[str, float]: ...


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def density_score(settings: HealthIndexSettings, density: float) -> float:
    ideal, worst = settings.density_ideal, settings.density_worst
    if density <= ideal:
        return _clamp(100.0 * density / ideal) if ideal > 0 else 100.0
    return _clamp(100.0 * (worst - density) / (worst - ideal)) if worst > ideal else 0.0


def score(settings: HealthIndexSettings, department: str, square_m: float,
          figures: TicketFigures) -> IndexScore:
    """One department's index from its month's counts and the size of its areas."""
    density = figures.reported / (square_m / 1000.0)
    rectification = figures.met / figures.due if figures.due else None
    recurrence = figures.repeats / figures.with_equipment if figures.with_equipment else None
    severity = (sum(settings.severity_weight(s) * n for s, n in figures.by_severity.items())
                / figures.reported) if figures.reported else None
    worst = settings.severity_worst
    scores = {
        "density": density_score(settings, density),
        "rectification": 100.0 if rectification is None else _clamp(100.0 * rectification),
        "recurrence": 100.0 if recurrence is None
        else _clamp(100.0 * (1 - recurrence / settings.recurrence_worst)),
        "severity": 100.0 if severity is None or worst <= 1
        else _clamp(100.0 * (1 - (severity - 1) / (worst - 1))),
    }
    total = sum(settings.weight(d) for d in DIMENSIONS)
    index = sum(settings.weight(d) * scores[d] for d in DIMENSIONS) / total if total else 0.0
    return IndexScore(department, density, rectification, recurrence, severity, scores,
                      round(index, 1))


def month_index(plant: Plant, source: KpiSource, year: int, month: int, *,
                as_of: datetime) -> dict[str, IndexScore]:
    """Every department that owns areas with a size, in plant.yaml's order."""
    span = month_of(plant, year, month)
    rules = rectification_rules(plant)
    found = {}
    for department in plant.departments:
        areas = tuple(a for a in plant.areas if a.department == department.id)
        square_m = sum(a.size_m2 for a in areas)
        if square_m <= 0:
            continue
        figures = source.tickets(TicketQuery(span.start, span.end, as_of,
                                             tuple(a.id for a in areas), rules))
        found[department.id] = score(plant.health_index, department.id, square_m, figures)
    return found


def rectification_rules(plant: Plant) -> tuple[SlaRule, ...]:
    """Every severity measured by its resolve time against its resolve window (the
    acknowledge window where plant.yaml sets none)."""
    return tuple(SlaRule(severity.value, window.resolve_within or window.acknowledge_within,
                         "resolved_at") for severity, window in plant.sla.items())


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)

"""What the monthly report 《隐患治理分析报告》 shows, gathered from the KPIs
(core/kpi.py), the safety health index (core/health_index.py), the trend warnings
(core/trend_scan.py) and the injury book (core/injuries.py): one record the renderers
(reports/monthly_pdf.py, reports/monthly_charts.py) draw from, so they read no database.

The scheduled send: at 08:00 plant time on the 1st, the month before goes to the managers;
a process that was down then catches up during the first week (`CATCH_UP`), not later, so a
new installation does not mail out last month's report weeks after the fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from core.blobs import StoredFile
from core.figures import month_of
from core.health_index import HealthIndexSource
from core.injuries import InjuryBook, InjuryKind
from core.kpi import HoursSource, Kpis, KpiSource, TicketQuery, month_kpis, parse_month, sla_rules
from core.plant import Plant, Role
from core.trend_scan import find_warnings
from core.trends import TrendBook, TrendWarning

HISTORY = 6  # months shown before the report's own
SEND_AT = time(8, 0)
CATCH_UP = timedelta(days=7)
# Who receives the scheduled report; `/report YYYY-MM` also answers safety officers.
RECEIVERS = (Role.SAFETY_MANAGER, Role.PLANT_MANAGER, Role.DEPARTMENT_HEAD)
ASKERS = (*RECEIVERS, Role.SAFETY_OFFICER)


@dataclass(frozen=True)
class MonthPoint:
    """One month of the history chart: reported in it, and of those closed by now."""

    label: str  # YYYY-MM
    reported: int
    closed: int


@dataclass(frozen=True)
class IndexRow:
    department: str
    index: float
    change: float | None  # against the month before; None when it had no index


@dataclass(frozen=True)
class MonthlyData:
    """Everything the report shows, for the plant as a whole."""

    year: int
    month: int
    as_of: datetime
    kpis: Kpis
    history: tuple[MonthPoint, ...]  # oldest first, the report's month last
    ranking: tuple[IndexRow, ...]  # healthiest first
    warnings: tuple[TrendWarning, ...]
    injuries: dict[str, int]  # InjuryKind value → injuries recorded in the month

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


class MonthlySources(Protocol):
    """The ports the report reads (SqlUnitOfWork has them all)."""

    @property
    def kpis(self) -> KpiSource: ...
    @property
    def injuries(self) -> InjuryBook: ...
    @property
    def hours_worked(self) -> HoursSource: ...
    @property
    def health_index(self) -> HealthIndexSource: ...
    @property
    def trends(self) -> TrendBook: ...


class MonthlyFiles(Protocol):
    """Renders a month's report and ledger into the blob store (bot/monthly_cli.py); called
    outside any transaction: it opens its own to read, then draws."""

    def render(self, year: int, month: int, lang: str) -> tuple[StoredFile, StoredFile]: ...


def shift(year: int, month: int, by: int) -> tuple[int, int]:
    """The month `by` months later (earlier when negative)."""
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def gather_month(sources: MonthlySources, plant: Plant, year: int, month: int, *,
                 as_of: datetime) -> MonthlyData:
    """The report's figures as they stand at `as_of` (trend warnings as of the month's end,
    or `as_of` when that is earlier)."""
    span = month_of(plant, year, month)
    kpis = month_kpis(plant=plant, source=sources.kpis, injuries=sources.injuries,
                      hours=sources.hours_worked, year=year, month=month, as_of=as_of,
                      health_index=sources.health_index.health_index(
                          plant, year, month, as_of=as_of))
    history = []
    for back in range(HISTORY, -1, -1):
        y, m = shift(year, month, -back)
        earlier = month_of(plant, y, m)
        found = sources.kpis.tickets(TicketQuery(earlier.start, earlier.end, as_of, None,
                                                 sla_rules(plant)))
        history.append(MonthPoint(label(y, m), found.reported, found.by_status.get("closed", 0)))
    before = sources.health_index.health_index(plant, *shift(year, month, -1), as_of=as_of)
    ranking = tuple(sorted(
        (IndexRow(d, value, None if d not in before else round(value - before[d], 1))
         for d, value in kpis.health_index.items()),
        key=lambda row: (-row.index, row.department)))
    first = date(year, month, 1)
    last = (span.end - timedelta(days=1)).date()
    counts = sources.injuries.counts(first=first, last=last)
    return MonthlyData(
        year=year, month=month, as_of=as_of, kpis=kpis, history=tuple(history),
        ranking=ranking, warnings=tuple(find_warnings(sources.trends, plant,
                                                      min(as_of, span.end))),
        injuries={kind.value: counts.get(kind, 0) for kind in InjuryKind},
    )


def month_argument(text: str) -> tuple[int, int] | None:
    """`YYYY-MM` as (year, month), else None."""
    try:
        return parse_month(text)
    except ValueError:
        return None


def _send_instant(plant: Plant, year: int, month: int) -> datetime:
    return datetime.combine(date(year, month, 1), SEND_AT, tzinfo=ZoneInfo(plant.timezone))


def scheduled_month(plant: Plant, now: datetime) -> tuple[int, int] | None:
    """The month whose report is due to the managers at `now`: the month before, from 08:00
    on the 1st through the catch-up week; None outside it."""
    local = now.astimezone(ZoneInfo(plant.timezone))
    due = _send_instant(plant, local.year, local.month)
    if not due <= now < due + CATCH_UP:
        return None
    return shift(local.year, local.month, -1)


def next_send(plant: Plant, now: datetime) -> datetime:
    """The next 08:00 on a 1st after `now`."""
    local = now.astimezone(ZoneInfo(plant.timezone))
    this = _send_instant(plant, local.year, local.month)
    return this if now < this else _send_instant(plant, *shift(local.year, local.month, 1))


def receivers(plant: Plant) -> list[str]:
    """The people the scheduled report goes to, in plant.yaml's order."""
    return [person.id for person in plant.people if person.has(*RECEIVERS)]

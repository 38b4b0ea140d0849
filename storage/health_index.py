"""The safety health index (core/health_index.py) counted with the KPIs' SQL
(storage/kpi.py): the port `safetyloop kpi` and `/index` read.

Every department's counts come from ONE grouped pass over the month, read from the KPIs'
covering index (ix_tickets_kpis, migration 0020) alone: each ticket's department is its
area's, by a CASE over plant.yaml's areas (the areas live in plant.yaml, not in a table), and
the pass counts by department and severity. The SLA, repeat and scope rules are the KPI
pass's own expressions, so each figure is the one a per-department KPI query would give.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    case,
    func,
    literal_column,
    not_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session

from core.figures import month_of
from core.health_index import IndexScore, rectification_rules, score
from core.kpi import TicketFigures, TicketQuery
from core.plant import Plant
from core.tickets import Validity
from storage.kpi import _NAMED, _VALID, SqlKpiSource, _scope, _tickets


class SqlHealthIndex:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.source = SqlKpiSource(session)

    def breakdown(self, plant: Plant, year: int, month: int, *,
                  as_of: datetime) -> dict[str, IndexScore]:
        """Every department that owns areas with a size, in plant.yaml's order."""
        square_m = {d.id: sum(a.size_m2 for a in plant.areas if a.department == d.id)
                    for d in plant.departments}
        owners = {a.id: a.department for a in plant.areas
                  if a.department is not None and square_m.get(a.department, 0) > 0}
        if not owners:
            return {}
        span = month_of(plant, year, month)
        query = TicketQuery(span.start, span.end, as_of, tuple(owners),
                            rectification_rules(plant))
        counted = self._counts(query, owners)
        return {department: score(plant.health_index, department, size,
                                  counted.get(department, _nothing()))
                for department, size in square_m.items() if size > 0}

    def health_index(self, plant: Plant, year: int, month: int, *,
                     as_of: datetime) -> dict[str, float]:
        return {department: found.index for department, found
                in self.breakdown(plant, year, month, as_of=as_of).items()}

    def _counts(self, query: TicketQuery, owners: Mapping[str, str]
                ) -> dict[str, TicketFigures]:
        """What the index reads of TicketFigures (reports by severity, due, met, naming
        equipment, repeats), by department."""
        if self.source._postgres:
            self.session.execute(text("SET LOCAL jit = off"))  # as storage/kpi.py, why there
            rows = self.session.execute(self._postgres_pass(query, owners))
        else:
            rows = self.session.execute(self._sqlite_pass(query, owners))
        sums: dict[str, dict[str, Any]] = {}
        for department, severity, n, due, met, named, repeats in rows:
            if department is None:
                continue  # an area no department with a size owns
            found = sums.setdefault(department, {"by_severity": {}, "due": 0, "met": 0,
                                                 "named": 0, "repeats": 0})
            found["by_severity"][severity] = found["by_severity"].get(severity, 0) + n
            for key, value in (("due", due), ("met", met), ("named", named),
                               ("repeats", repeats)):
                found[key] += int(value or 0)
        return {department: _figures(found) for department, found in sums.items()}

    def _sqlite_pass(self, query: TicketQuery, owners: Mapping[str, str]) -> Select[Any]:
        """As storage/kpi.py's SQLite pass: a repeat looked up in ix_tickets_repeats."""
        t = _tickets.c
        earlier = aliased(_tickets, name="earlier")
        since = func.strftime("%Y-%m-%d %H:%M:%f", t.created_at,
                              f"-{int(query.repeat_days)} days")
        repeat = select(literal_column("1")).where(
            earlier.c.equipment == t.equipment, earlier.c.category == t.category,
            earlier.c.validity == Validity.VALID.value,
            earlier.c.created_at < t.created_at, earlier.c.created_at >= since).exists()
        due, met, named = self.source._row_figures(query)[2:]
        month = select(
            case(dict(owners), value=t.area).label("department"), t.severity, due, met,
            named, case((_NAMED, case((repeat, 1), else_=0)), else_=0).label("repeat"),
        ).where(*_scope(query, t)).subquery("month").c
        return _grouped(month)

    def _postgres_pass(self, query: TicketQuery, owners: Mapping[str, str]) -> Select[Any]:
        """As storage/kpi.py's PostgreSQL pass, without the medians: a repeat found by one
        LAG window over the month's valid tickets naming equipment, of every area (only they
        can be or make a repeat, and the sort is the pass's cost); the others beside them."""
        t = _tickets.c
        due, met, _ = self.source._row_figures(query)[2:]
        month = (t.created_at >= query.start, t.created_at < query.end, _VALID)
        department = case(dict(owners), value=t.area).label("department")
        naming = (select(department, t.severity, t.category, t.equipment, t.created_at,
                         due, met).where(*month, _NAMED).subquery("naming").c)
        w = select(*naming, func.lag(naming.created_at).over(
            partition_by=(naming.equipment.collate("C"), naming.category.collate("C")),
            order_by=naming.created_at).label("before"),
        ).subquery("ordered").c
        since = w.created_at - literal_column(f"interval '{int(query.repeat_days)} days'")
        repeat = case((self.source._previous(w) >= since, 1), else_=0)
        one, zero = literal_column("1", Integer), literal_column("0", Integer)
        # No WHERE on the areas: the planner then misjudges the rows left and sorts them to
        # group; tickets of other areas fall in the NULL department, dropped in Python.
        every = union_all(
            select(w.department, w.severity, w.due, w.met, one.label("named"),
                   repeat.label("repeat")),
            select(department, t.severity, due, met, zero, zero).where(*month, not_(_NAMED)),
        ).subquery("month_departments").c
        return _grouped(every)


def _grouped(month: Any) -> Select[Any]:
    return (select(month.department, month.severity, func.count(), func.sum(month.due),
                   func.sum(month.met), func.sum(month.named), func.sum(month.repeat))
            .group_by(month.department, month.severity))


def _figures(found: Mapping[str, Any]) -> TicketFigures:
    """The index's counts as the KPIs' record; what the index does not read stays empty."""
    by_severity = dict(sorted(found["by_severity"].items()))
    return TicketFigures(
        reported=sum(by_severity.values()), by_area={}, by_category={},
        by_severity=by_severity, by_status={}, response_hours_mean=None,
        response_hours_median=None, close_hours_mean=None, close_hours_median=None,
        due=found["due"], met=found["met"], with_equipment=found["named"],
        repeats=found["repeats"], escalations=0, cross_dept_close_days=None)


def _nothing() -> TicketFigures:
    return _figures({"by_severity": {}, "due": 0, "met": 0, "named": 0, "repeats": 0})

"""The month's KPIs (core/kpi.py) counted by the database: a handful of aggregate queries,
never a loop over the month's rows in Python but for SQLite's medians.

Durations are worked out in SQL per dialect: `julianday` differences on SQLite (which keeps
instants as UTC text), `date_part(epoch …)` on PostgreSQL. The month's valid tickets are read
from one covering partial index (ix_tickets_kpis, migration 0020), never from the table.
PostgreSQL reads them once, in one statement: sums by group, medians by
`percentile_cont(0.5) WITHIN GROUP`, repeats by one LAG window over (equipment, category).
SQLite sorts slowly, so there the grouped pass looks each repeat up in ix_tickets_repeats
instead, and the medians come from one narrow read of the two durations, sorted in Python.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session

from core.kpi import TicketFigures, TicketQuery, ratio
from core.tickets import Validity
from storage.tables import AuditRow, ChainRow, TicketRow

ESCALATED = "TicketEscalated"  # the audit log's name for one escalation step
# Instants within this many seconds count as equal: julianday differences are doubles.
_SLACK = 0.001

_tickets = TicketRow.__table__  # type: ignore[attr-defined]
_chains = ChainRow.__table__  # type: ignore[attr-defined]
_audit = AuditRow.__table__  # type: ignore[attr-defined]
# Written out, not bound: the planners choose the partial index ix_tickets_kpis (WHERE
# validity = 'valid') only for a query whose condition is the same constant.
_VALID = _tickets.c.validity == literal_column(f"'{Validity.VALID.value}'")
_NAMED = and_(_tickets.c.equipment.is_not(None), _tickets.c.equipment != "")


class SqlKpiSource:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def seconds(self, later: Any, earlier: Any) -> ColumnElement[float]:
        """`later − earlier` in seconds, NULL when either is NULL."""
        if self._postgres:
            # date_part, not extract: extract's numeric costs twice the time of this double
            # (the same value to well under a microsecond).
            return func.date_part("epoch", later - earlier, type_=Float)
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0

    def tickets(self, query: TicketQuery) -> TicketFigures:
        sums = _Sums()
        if self._postgres:
            # A few short aggregates: PostgreSQL's JIT would spend tens of milliseconds
            # compiling each (their cost estimates pass jit_above_cost at a million tickets)
            # and win nothing back. For this transaction only.
            self.session.execute(text("SET LOCAL jit = off"))
            for area, category, severity, status, n, *figures in self.session.execute(
                    self._postgres_pass(query)):
                sums.add(area, category, severity, status, n, figures[:8])
                sums.response_median, sums.close_median = map(_float, figures[8:])
        else:
            for area, category, severity, status, n, *figures in self.session.execute(
                    self._sqlite_pass(query)):
                sums.add(area, category, severity, status, n, figures)
            sums.response_median, sums.close_median = self._sqlite_medians(query)
        sums.sorted()
        return TicketFigures(
            reported=sum(sums.by_area.values()), by_area=sums.by_area,
            by_category=sums.by_category, by_severity=sums.by_severity,
            by_status=sums.by_status,
            response_hours_mean=ratio(sums.response_sum, sums.response_n),
            response_hours_median=sums.response_median,
            close_hours_mean=ratio(sums.close_sum, sums.close_n),
            close_hours_median=sums.close_median, due=sums.due, met=sums.met,
            with_equipment=sums.named, repeats=sums.repeats,
            escalations=self._escalations(query), cross_dept_close_days=self._chain_days(query),
        )

    def _row_figures(self, query: TicketQuery) -> list[ColumnElement[Any]]:
        """What each valid ticket of the month adds to the sums: its durations in hours
        (NULL while not acknowledged or closed), and whether its SLA deadline had passed
        at as_of, was met, and the ticket names equipment."""
        t = _tickets.c
        # Each CASE stops at the ticket's own severity: one duration per row for the SLA.
        due = [(and_(t.severity == rule.severity, t.created_at <= query.as_of - rule.window),
                rule) for rule in query.rules]
        met = case(*((when, case((self.seconds(t[rule.measured_by], t.created_at)
                                  <= rule.window.total_seconds() + _SLACK, 1), else_=0))
                     for when, rule in due), else_=0)
        return [(self.seconds(t.acknowledged_at, t.created_at) / 3600.0).label("response"),
                (self.seconds(t.closed_at, t.created_at) / 3600.0).label("close"),
                case(*((when, 1) for when, _ in due), else_=0).label("due"),
                met.label("met"), case((_NAMED, 1), else_=0).label("named")]

    def _sqlite_pass(self, query: TicketQuery) -> Select[Any]:
        """One pass over the month, read from ix_tickets_kpis alone (migration 0020):
        counted and summed by area, category, severity and status together. Python adds up
        the groups (a few thousand at most), never the rows; means are sums over counts, so
        they combine exactly. A repeat is looked up in ix_tickets_repeats for each ticket
        naming equipment: on SQLite cheaper than a window, which sorts the month."""
        t = _tickets.c
        earlier = aliased(_tickets, name="earlier")
        since = func.strftime("%Y-%m-%d %H:%M:%f", t.created_at,
                              f"-{int(query.repeat_days)} days")
        # SELECT 1, not *: SQLite then answers from the index alone.
        repeat = select(literal_column("1")).where(
            earlier.c.equipment == t.equipment, earlier.c.category == t.category,
            earlier.c.validity == Validity.VALID.value,
            earlier.c.created_at < t.created_at, earlier.c.created_at >= since).exists()
        month = select(t.area, t.category, t.severity, t.status, *self._row_figures(query),
                       case((_NAMED, case((repeat, 1), else_=0)), else_=0).label("repeat"),
                       ).where(*_scope(query, t)).subquery("month").c
        return (
            select(month.area, month.category, month.severity, month.status, func.count(),
                   func.count(month.response), func.sum(month.response),
                   func.count(month.close), func.sum(month.close), func.sum(month.due),
                   func.sum(month.met), func.sum(month.named), func.sum(month.repeat))
            .group_by(month.area, month.category, month.severity, month.status)
        )

    def _sqlite_medians(self, query: TicketQuery) -> tuple[float | None, float | None]:
        """SQLite has no percentile_cont, and a sort there costs more than reading the
        month's two durations (from ix_tickets_kpis alone) and sorting them here."""
        t = _tickets.c
        durations = select(*self._row_figures(query)[:2]).where(*_scope(query, t))
        response, close = [], []
        for acknowledged, closed in self.session.execute(durations):
            if acknowledged is not None:
                response.append(acknowledged)
            if closed is not None:
                close.append(closed)
        return _median(response), _median(close)

    def _postgres_pass(self, query: TicketQuery) -> Select[Any]:
        """One statement, one read of the month (index-only, from ix_tickets_kpis): each
        valid ticket's figures worked out once, its repeat found with one window, then all
        counted and summed by area, category, severity and status together (Python adds up
        the groups, as on SQLite), the two medians beside every group."""
        t = _tickets.c
        # Every valid ticket of the month, of every area (an earlier ticket of another area
        # still makes a repeat; the scope's areas are chosen below). Materialized: read
        # once, then sorted by machine for the repeats and by duration for the medians.
        month = (
            select(t.area, t.category, t.severity, t.status, t.equipment, t.created_at,
                   *self._row_figures(query))
            .where(t.created_at >= query.start, t.created_at < query.end, _VALID)
            .cte("month").prefix_with("MATERIALIZED")
        )
        m = month.c
        # With the time of the month's ticket before it of the same machine and category.
        # Sorted bytewise: the same groups (equality is bytewise under any deterministic
        # collation), without the locale's slow comparisons.
        w = select(*m, func.lag(m.created_at).over(
            partition_by=(m.equipment.collate("C"), m.category.collate("C")),
            order_by=m.created_at).label("before"),
        ).subquery("ordered").c
        since = w.created_at - literal_column(f"interval '{int(query.repeat_days)} days'")
        repeat = case((and_(w.named == 1, self._previous(w) >= since), 1), else_=0)
        in_scope = _in_areas(query, m)
        medians = [
            select(func.percentile_cont(0.5).within_group(value)).where(
                *in_scope, value.is_not(None)).scalar_subquery()
            for value in (m.response, m.close)]
        return (
            select(w.area, w.category, w.severity, w.status, func.count(),
                   func.count(w.response), func.sum(w.response), func.count(w.close),
                   func.sum(w.close), func.sum(w.due), func.sum(w.met), func.sum(w.named),
                   func.sum(repeat), *medians)
            .where(*_in_areas(query, w)).group_by(w.area, w.category, w.severity, w.status)
        )

    def _previous(self, w: Any) -> ColumnElement[Any]:
        """When the latest valid ticket of the same machine and category reported strictly
        before this one was reported (equal instants are no repeat of each other): the
        month's ticket just before it, unless there is none or it was reported at the same
        instant; for those (the first tickets of each machine and category, and ties)
        looked up in ix_tickets_repeats."""
        earlier = aliased(_tickets, name="earlier")
        looked_up = (select(func.max(earlier.c.created_at))
                     .where(earlier.c.equipment == w.equipment,
                            earlier.c.category == w.category,
                            earlier.c.validity == Validity.VALID.value,
                            earlier.c.created_at < w.created_at)
                     .scalar_subquery())
        return case((w.before < w.created_at, w.before), else_=looked_up)

    def _escalations(self, query: TicketQuery) -> int:
        """Escalation steps that fired in the month, on valid tickets of the scope."""
        a, t = _audit.c, _tickets.c
        found = (select(func.count()).select_from(_audit.join(_tickets, t.code == a.subject))
                 .where(a.action == ESCALATED, a.at >= query.start, a.at < query.end,
                        *_valid_in_areas(query, t)))
        return int(self.session.execute(found).scalar_one())

    def _chain_days(self, query: TicketQuery) -> float | None:
        """Mean days from report to close of the chain tickets closed in the month."""
        c, t = _chains.c, _tickets.c
        days = self.seconds(t.closed_at, t.created_at) / 86400.0
        found = (select(func.avg(days)).select_from(_chains.join(_tickets, t.code == c.ticket))
                 .where(c.cancelled_at.is_(None), t.closed_at >= query.start,
                        t.closed_at < query.end, *_valid_in_areas(query, t)))
        return _float(self.session.execute(found).scalar_one())


def _scope(query: TicketQuery, t: Any) -> list[ColumnElement[bool]]:
    """Valid tickets reported in the month, in the scope's areas."""
    return [t.created_at >= query.start, t.created_at < query.end, _VALID,
            *_in_areas(query, t)]


def _in_areas(query: TicketQuery, t: Any) -> list[ColumnElement[bool]]:
    """Rows in the scope's areas (no condition for the whole plant)."""
    if query.areas is None:
        return []
    return [t.area.in_(query.areas) if query.areas else t.area.is_(None)]


def _valid_in_areas(query: TicketQuery, t: Any) -> list[ColumnElement[bool]]:
    return [t.validity == Validity.VALID.value, *_in_areas(query, t)]


@dataclass
class _Sums:
    """The grouped pass added up: counts by each dimension, sums and counts of durations."""

    by_area: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    response_n: int = 0
    response_sum: float = 0.0
    close_n: int = 0
    close_sum: float = 0.0
    due: int = 0
    met: int = 0
    named: int = 0
    repeats: int = 0
    response_median: float | None = None
    close_median: float | None = None

    def add(self, area: str, category: str, severity: str, status: str, n: int,
            figures: list[Any]) -> None:
        for total, key in ((self.by_area, area), (self.by_category, category),
                           (self.by_severity, severity), (self.by_status, status)):
            total[key] = total.get(key, 0) + n
        response_n, response_sum, close_n, close_sum, due, met, named, repeats = figures
        self.response_n += response_n
        self.response_sum += float(response_sum or 0)
        self.close_n += close_n
        self.close_sum += float(close_sum or 0)
        self.due += int(due or 0)
        self.met += int(met or 0)
        self.named += int(named or 0)
        self.repeats += int(repeats or 0)

    def sorted(self) -> None:
        """Dimension counts in key order, as the JSON shows them."""
        for name in ("by_area", "by_category", "by_severity", "by_status"):
            setattr(self, name, dict(sorted(getattr(self, name).items())))


def _median(values: list[float]) -> float | None:
    """The middle value, the mean of the middle two for an even count (as percentile_cont)."""
    return statistics.median(values) if values else None


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]

"""Trend warnings in SQL (core/trends.py): the clusters are one GROUP BY over the tickets'
(equipment, category, created_at) index; warnings, scanned nights and added plans are kept
with INSERT … ON CONFLICT DO NOTHING, so two processes scanning at once keep each once."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from core.round_settings import SpecialPlan
from core.tickets import Validity
from core.trends import Cluster, TrendWarning
from core.usage_rows import RunPeriod
from storage.tables import AddedPlanRow, RunPeriodRow, TicketRow, TrendScanRow, TrendWarningRow

_tickets = TicketRow.__table__  # type: ignore[attr-defined]
_warnings = TrendWarningRow.__table__  # type: ignore[attr-defined]
_scans = TrendScanRow.__table__  # type: ignore[attr-defined]
_plans = AddedPlanRow.__table__  # type: ignore[attr-defined]
_runs = RunPeriodRow.__table__  # type: ignore[attr-defined]


class SqlTrendBook:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def _insert(self) -> Any:
        return postgresql.insert if self._postgres else sqlite.insert

    def clusters(self, *, since: datetime, window_from: datetime, until: datetime,
                 min_count: int) -> list[Cluster]:
        t = _tickets.c
        in_window = func.sum(case((t.created_at >= window_from, 1), else_=0))
        query = (
            select(t.equipment, t.category, in_window)
            .where(t.validity == Validity.VALID.value, t.equipment.is_not(None),
                   t.equipment != "", t.created_at >= since, t.created_at < until)
            .group_by(t.equipment, t.category)
            .having(in_window >= min_count)
        )
        return [Cluster(equipment, category, int(count))
                for equipment, category, count in self.session.execute(query)]

    def occurrences(self, equipment: str, category: str, *, since: datetime,
                    until: datetime) -> list[datetime]:
        t = _tickets.c
        query = (select(t.created_at)
                 .where(t.equipment == equipment, t.category == category,
                        t.validity == Validity.VALID.value,
                        t.created_at >= since, t.created_at < until)
                 .order_by(t.created_at))
        return list(self.session.execute(query).scalars())

    def run_periods(self, equipment: str, *, since: datetime,
                    until: datetime) -> list[RunPeriod]:
        r = _runs.c
        # Run logs keep the plant's spelling of the code; tickets keep what was typed.
        query = (select(r.equipment, r.started_at, r.ended_at)
                 .where(func.upper(r.equipment) == equipment.upper(),
                        r.started_at < until, r.ended_at > since)
                 .order_by(r.started_at))
        return [RunPeriod(e, start, end) for e, start, end in self.session.execute(query)]

    def add_if_absent(self, warning: TrendWarning) -> TrendWarning | None:
        values = {
            "equipment": warning.equipment, "category": warning.category,
            "window_end": warning.window_end, "count": warning.count,
            "window_days": warning.window_days,
            "run_hours": (None if warning.run_hours_before is None
                          else list(warning.run_hours_before)),
            "long_run_hours": warning.long_run_hours, "created_at": warning.created_at,
        }
        statement = (self._insert()(_warnings).values(**values)
                     .on_conflict_do_nothing(
                         index_elements=["equipment", "category", "window_end"])
                     .returning(_warnings.c.id))
        added = self.session.execute(statement).first()
        if added is None:
            return None
        return TrendWarning(**{**_fields(warning), "id": int(added[0])})

    def get(self, warning_id: int) -> TrendWarning | None:
        row = self.session.get(TrendWarningRow, warning_id)
        return _warning(row) if row else None

    def previous(self, equipment: str, category: str, *, before: date) -> TrendWarning | None:
        w = TrendWarningRow
        query = (select(w).where(col(w.equipment) == equipment, col(w.category) == category,
                                 col(w.window_end) < before)
                 .order_by(col(w.window_end).desc()).limit(1))
        row = self.session.execute(query).scalars().first()
        return _warning(row) if row else None

    def latest(self) -> list[TrendWarning]:
        w = TrendWarningRow
        last = select(func.max(col(w.window_end))).scalar_subquery()
        query = (select(w).where(col(w.window_end) == last)
                 .order_by(col(w.count).desc(), col(w.equipment), col(w.category)))
        return [_warning(row) for row in self.session.execute(query).scalars()]

    def scanned(self, day: date) -> bool:
        return self.session.get(TrendScanRow, day) is not None

    def mark_scanned(self, day: date, at: datetime) -> None:
        self.session.execute(self._insert()(_scans).values(day=day, scanned_at=at)
                             .on_conflict_do_nothing())

    def add_plan(self, plan: SpecialPlan, *, warning: int, by: str, at: datetime) -> bool:
        days = plan.days if isinstance(plan.days, str) else ",".join(plan.days)
        statement = (self._insert()(_plans).values(
            id=plan.id, area=plan.area, checkpoints=list(plan.checkpoints),
            times=list(plan.times), days=days, name=plan.name, name_en=plan.name_en,
            warning=warning, added_by=by, added_at=at,
        ).on_conflict_do_nothing().returning(_plans.c.id))
        return self.session.execute(statement).first() is not None

    def added_plans(self) -> tuple[SpecialPlan, ...]:
        rows = self.session.execute(select(AddedPlanRow).order_by(col(AddedPlanRow.added_at)))
        return tuple(
            SpecialPlan(id=row.id, area=row.area, checkpoints=tuple(row.checkpoints),
                        times=tuple(row.times), days=row.days, name=row.name,
                        name_en=row.name_en)
            for row in rows.scalars()
        )


def _fields(warning: TrendWarning) -> dict[str, Any]:
    return {name: getattr(warning, name) for name in TrendWarning.__dataclass_fields__}


def _warning(row: TrendWarningRow) -> TrendWarning:
    assert row.id is not None
    return TrendWarning(
        equipment=row.equipment, category=row.category, window_end=row.window_end,
        count=row.count, window_days=row.window_days,
        run_hours_before=None if row.run_hours is None else tuple(row.run_hours),
        long_run_hours=row.long_run_hours, created_at=row.created_at, id=row.id,
    )

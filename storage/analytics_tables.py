"""Tables of the numbers: imported ledgers, run periods, hours worked, injuries, trend
warnings and scans, plans added from warnings, monthly reports sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Index,
)
from sqlmodel import Field, SQLModel

from storage.columns import json_or_null, moment


class TicketImportRow(SQLModel, table=True):
    """A ledger row imported as a ticket (core/ticket_rows.py), by its import key: the
    file's code, or a hash of the row. The key is unique, so a file imported again, even by
    two processes at once, adds each ticket once. Added in 0016."""

    __tablename__ = "ticket_imports"

    key: str = Field(max_length=80, primary_key=True)
    ticket: str = Field(max_length=20, index=True)
    source_code: str | None = Field(default=None, max_length=64)  # the file's own numbering
    imported_at: datetime = moment(nullable=False)


class RunPeriodRow(SQLModel, table=True):
    """A machine ran without stopping from `started_at` to `ended_at` (core/usage_rows.py).
    Periods of one machine never overlap, so their starts are unique. Added in 0016."""

    __tablename__ = "run_periods"

    id: int | None = Field(default=None, primary_key=True)
    equipment: str = Field(max_length=64)
    started_at: datetime = moment(nullable=False)
    ended_at: datetime = moment(nullable=False)

    __table_args__ = (
        Index("ix_run_periods_equipment_started_at", "equipment", "started_at", unique=True),
    )


class HoursWorkedRow(SQLModel, table=True):
    """Hours worked by a department in a month (its first day), for injury rates. Added in
    0016."""

    __tablename__ = "hours_worked"

    department: str = Field(max_length=64, primary_key=True)
    month: date = Field(primary_key=True)
    hours: float
    updated_at: datetime = moment(nullable=False)


class InjuryRow(SQLModel, table=True):
    """An injury recorded with /incident (core/injuries.py). Added in 0017."""

    __tablename__ = "injuries"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    person: str | None = Field(default=None, max_length=64)  # a roster id, when on it
    name: str = Field(max_length=100)
    department: str = Field(max_length=64)
    kind: str = Field(max_length=16)
    lost_days: int
    recorded_by: str = Field(max_length=64)
    recorded_at: datetime = moment(nullable=False)

    __table_args__ = (Index("ix_injuries_department_day", "department", "day"),)


class TrendWarningRow(SQLModel, table=True):
    """A trend warning (core/trends.py), once per machine, category and window end. Added in
    0018."""

    __tablename__ = "trend_warnings"

    id: int | None = Field(default=None, primary_key=True)
    equipment: str = Field(max_length=64)
    category: str = Field(max_length=64)
    window_end: date
    count: int
    window_days: int
    run_hours: list[float | None] | None = json_or_null()
    long_run_hours: float
    created_at: datetime = moment(nullable=False)

    __table_args__ = (
        Index("ix_trend_warnings_pair_day", "equipment", "category", "window_end", unique=True),
        Index("ix_trend_warnings_window_end", "window_end"),
    )


class TrendScanRow(SQLModel, table=True):
    """A plant day whose nightly trend scan ran. Added in 0018."""

    __tablename__ = "trend_scans"

    day: date = Field(primary_key=True)
    scanned_at: datetime = moment(nullable=False)


class AddedPlanRow(SQLModel, table=True):
    """A special inspection plan added at run time (a trend warning's button); the round
    generator reads these beside plant.yaml's. Added in 0018."""

    __tablename__ = "added_plans"

    id: str = Field(max_length=64, primary_key=True)
    area: str = Field(max_length=64)
    checkpoints: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    times: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    days: str = Field(max_length=64)
    name: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    warning: int | None = Field(default=None)
    added_by: str = Field(max_length=64)
    added_at: datetime = moment(nullable=False)


class MonthlyReportRow(SQLModel, table=True):
    """A monthly report send (core/monthly_log.py): `key` is `scheduled:YYYY-MM` for the
    managers' send (unique: once per month) or `request:<id>` for a `/report YYYY-MM`, kept
    until `sent_at` is set. Added in 0019."""

    __tablename__ = "monthly_reports"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80)
    month: str = Field(max_length=7)
    person: str | None = Field(default=None, max_length=64)
    lang: str = Field(max_length=16)
    requested_at: datetime = moment(nullable=False)
    sent_at: datetime | None = moment()

    __table_args__ = (
        Index("ix_monthly_reports_key", "key", unique=True),
        Index("ix_monthly_reports_sent_at", "sent_at"),
    )

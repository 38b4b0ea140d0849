"""Tables of inspections: rounds, the days planned, announcements, check-ins and checklist
answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Text,
)
from sqlmodel import Field, SQLModel

from storage.columns import json_or_null, moment


class RoundRow(SQLModel, table=True):
    """An inspection round (core/inspections.py); (plan, area, opens_at) is unique, so a day
    generated twice, or by two processes at once, keeps one round each. Added in 0012."""

    __tablename__ = "rounds"

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(max_length=64)
    area: str = Field(max_length=64)
    assignee: str = Field(max_length=64)
    opens_at: datetime = moment(index=True, nullable=False)
    closes_at: datetime = moment(nullable=False)
    checkpoints: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(max_length=16)
    policy: dict[str, Any] | None = json_or_null()
    escalation_level: int = 0
    # The sweep finds due rounds through these two indexes, one range each.
    due_at: datetime | None = moment(index=True)
    remind_at: datetime | None = moment(index=True)
    finished_at: datetime | None = moment()

    __table_args__ = (
        Index("ix_rounds_plan_area_opens_at", "plan", "area", "opens_at", unique=True),
        Index("ix_rounds_assignee_opens_at", "assignee", "opens_at"),
    )


class RoundDayRow(SQLModel, table=True):
    """A plant day whose rounds were generated, under plans with this fingerprint."""

    __tablename__ = "round_days"

    day: date = Field(primary_key=True)
    fingerprint: str = Field(max_length=64)
    generated_at: datetime = moment(nullable=False)


class RoundAnnouncementRow(SQLModel, table=True):
    """One inspector's list of one plant day's rounds, written with it: each is sent once."""

    __tablename__ = "round_announcements"

    person: str = Field(max_length=64, primary_key=True)
    day: date = Field(primary_key=True)
    sent_at: datetime = moment(nullable=False)


class CheckInRow(SQLModel, table=True):
    """Presence at one checkpoint of a round (core/inspections.py `CheckIn`). Added in 0013."""

    __tablename__ = "checkins"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="rounds.id", index=True)
    checkpoint: str = Field(max_length=64)
    person: str = Field(max_length=64)
    at: datetime = moment(nullable=False)
    lat: float
    lon: float
    distance_m: float
    accuracy_m: float | None = None
    # Supporting evidence as JSON text (core/checkin.py `PhotoEvidence.note`); "" for none.
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))


class ChecklistAnswerRow(SQLModel, table=True):
    """One checklist item answered at a check-in; an item is answered once per check-in."""

    __tablename__ = "checklist_answers"

    id: int | None = Field(default=None, primary_key=True)
    checkin_id: int = Field(foreign_key="checkins.id")
    item: str = Field(max_length=160)
    answer: str = Field(max_length=16)
    risk_point: str | None = Field(default=None, max_length=64)
    ticket: str | None = Field(default=None, max_length=20, index=True)
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    at: datetime | None = moment()

    __table_args__ = (
        Index("ix_checklist_answers_checkin_id_item", "checkin_id", "item", unique=True),
    )

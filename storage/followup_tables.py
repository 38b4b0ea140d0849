"""Tables of late work: cross-department chains and their steps, remediation plans of major
hazards, reminders kept for digests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Text,
)
from sqlmodel import Field, SQLModel

from storage.columns import json_value, moment


class ChainRow(SQLModel, table=True):
    """A cross-department chain (core/chains.py), one per ticket at most."""

    __tablename__ = "chains"

    id: int | None = Field(default=None, primary_key=True)
    ticket: str = Field(max_length=20, unique=True)
    rule: str = Field(max_length=64)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    opened_at: datetime = moment(nullable=False)
    completed_at: datetime | None = moment()
    cancelled_at: datetime | None = moment()
    closed_at: datetime | None = moment()
    # Reported → closed, in days, for the monthly report.
    close_days: float | None = None


class ChainStepRow(SQLModel, table=True):
    __tablename__ = "chain_steps"

    id: int | None = Field(default=None, primary_key=True)
    chain_id: int = Field(foreign_key="chains.id", index=True)
    position: int
    key: str = Field(max_length=64)
    department: str = Field(max_length=64)
    role: str = Field(max_length=32)
    team: str | None = Field(default=None, max_length=64)
    after: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    holder: str | None = Field(default=None, max_length=64)
    state: str = Field(max_length=16)
    # The step's deadline policy, copied when the chain opened (storage.policies).
    policy: dict[str, Any] = json_value()
    level: int = 0
    due_at: datetime | None = moment(index=True)
    opened_at: datetime | None = moment()
    confirmed_at: datetime | None = moment()
    promised_at: datetime | None = moment()
    done_at: datetime | None = moment()
    note: str | None = Field(default=None, sa_column=Column(Text))
    photo: str | None = Field(default=None, max_length=64)
    handed_by: str | None = Field(default=None, max_length=64)
    name: str = Field(default="", max_length=200)
    name_en: str = Field(default="", max_length=200)


class RemediationPlanRow(SQLModel, table=True):
    """A major hazard's remediation plan (五落实), one per ticket; entering it again replaces it."""

    __tablename__ = "remediation_plans"

    code: str = Field(max_length=20, primary_key=True)
    responsible: str = Field(max_length=64)
    measures: str = Field(sa_column=Column(Text, nullable=False))
    # Yuan in fen (1/100): exact on every database, where a float would round.
    funds_fen: int = Field(sa_column=Column(BigInteger, nullable=False))
    deadline: date
    emergency_plan: str = Field(sa_column=Column(Text, nullable=False))
    entered_by: str = Field(max_length=64)
    entered_at: datetime = moment(nullable=False)


class DigestRow(SQLModel, table=True):
    """One person's digest of one plant day, written with it: each is sent once."""

    __tablename__ = "digests"

    person: str = Field(max_length=64, primary_key=True)
    day: date = Field(primary_key=True)
    sent_at: datetime = moment(nullable=False)


class GatheredReminderRow(SQLModel, table=True):
    """A reminder kept for a person's next digest, with the step it was about."""

    __tablename__ = "digest_entries"

    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=64, index=True)
    ticket: str = Field(max_length=20)
    step: str = Field(max_length=160)
    gathered_at: datetime = moment(nullable=False)

"""SQLModel tables. Domain objects never see them: repositories map both ways."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.types import UtcDateTime


def _at(*, index: bool = False, nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(UtcDateTime(), index=index, nullable=nullable))


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _json_or_null() -> Any:
    # None is SQL NULL, not the JSON value null, so "IS NULL" finds what was never set.
    return Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))


class TicketRow(SQLModel, table=True):
    __tablename__ = "tickets"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    day: str = Field(max_length=6)
    number: int
    reporter: str = Field(max_length=64, index=True)
    area: str = Field(max_length=64)
    category: str = Field(max_length=64)
    severity: str = Field(max_length=16)
    urgency: str = Field(max_length=16)
    description: str = Field(sa_column=Column(Text, nullable=False))
    team: str = Field(max_length=64, index=True)
    equipment: str | None = Field(default=None, max_length=64)
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    location_source: str = Field(max_length=16)
    photos: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    after_photo: str | None = Field(default=None, max_length=64)
    status: str = Field(max_length=16, index=True)
    validity: str = Field(max_length=16)
    points: int = 0
    escalation_level: int = 0
    due_at: datetime | None = _at(index=True)
    remind_at: datetime | None = _at()
    respond_by: datetime | None = _at()
    resolve_by: datetime | None = _at()
    created_at: datetime = _at(nullable=False)
    acknowledged_at: datetime | None = _at()
    started_at: datetime | None = _at()
    resolved_at: datetime | None = _at()
    closed_at: datetime | None = _at()
    rejected_at: datetime | None = _at()
    reason: str | None = Field(default=None, sa_column=Column(Text))
    duplicate_of: str | None = Field(default=None, max_length=20)
    # The deadline policy copied when the ticket opened (storage.policies); NULL before 0005.
    policy: dict[str, Any] | None = _json_or_null()

    __table_args__ = (Index("ix_tickets_day_number", "day", "number", unique=True),)


class ConversationRow(SQLModel, table=True):
    __tablename__ = "conversations"

    channel: str = Field(max_length=16, primary_key=True)
    chat: str = Field(max_length=128, primary_key=True)
    sender: str = Field(max_length=128, primary_key=True)
    flow: str = Field(max_length=32)
    step: str = Field(max_length=32)
    rev: int = 0
    data: dict[str, Any] = _json()
    updated_at: datetime = _at(nullable=False)


class InboxRow(SQLModel, table=True):
    """Keys of updates already handled, so platform retries act once."""

    __tablename__ = "inbox"

    channel: str = Field(max_length=16, primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    seen_at: datetime = _at(index=True, nullable=False)


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    address: str = Field(max_length=254, index=True)  # an e-mail address may be this long
    person: str | None = Field(default=None, max_length=64)
    ticket: str | None = Field(default=None, max_length=20)
    payload: dict[str, Any] = _json()
    # What the delivery worker draws and sends as the image (a before/after), if anything.
    picture: dict[str, Any] | None = _json_or_null()
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    external_id: str | None = Field(default=None, max_length=128)
    created_at: datetime = _at(nullable=False)
    next_attempt_at: datetime = _at(nullable=False)
    sent_at: datetime | None = _at()
    # Host, process id and boot id of the worker that last leased it (storage.lease_owner).
    lease_owner: str | None = Field(default=None, max_length=200)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = _at(nullable=False)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    subject: str = Field(max_length=64, index=True)
    data: dict[str, Any] = _json()
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class PointsRow(SQLModel, table=True):
    __tablename__ = "points_ledger"

    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=64, index=True)
    ticket: str = Field(max_length=20)
    delta: int
    reason: str = Field(max_length=16)
    at: datetime = _at(nullable=False)


class IdentityRow(SQLModel, table=True):
    """A person's account on one channel (Telegram user id, WeCom user id, …)."""

    __tablename__ = "identities"

    channel: str = Field(max_length=16, primary_key=True)
    external_id: str = Field(max_length=254, primary_key=True)  # as long as an e-mail address
    person: str = Field(max_length=64, index=True)


class PersonPrefsRow(SQLModel, table=True):
    __tablename__ = "person_prefs"

    person: str = Field(max_length=64, primary_key=True)
    lang: str | None = Field(default=None, max_length=8)
    last_channel: str | None = Field(default=None, max_length=16)


class InboundRow(SQLModel, table=True):
    """Raw platform updates accepted by a webhook and not yet handled (a durable queue)."""

    __tablename__ = "inbound"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = _at(nullable=False)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0


class InviteRow(SQLModel, table=True):
    """A one-time invitation that binds whoever redeems it to a person of the roster."""

    __tablename__ = "invites"

    token: str = Field(max_length=64, primary_key=True)
    person: str = Field(max_length=64)
    created_by: str = Field(max_length=64)
    created_at: datetime = _at(nullable=False)
    expires_at: datetime = _at(nullable=False)
    used_at: datetime | None = _at()
    used_by: str | None = Field(default=None, max_length=160)

"""SQLModel tables. Domain objects never see them: repositories map both ways."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    SmallInteger,
    Text,
    false,
    text,
)
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
    remind_at: datetime | None = _at(index=True)  # swept by core.reminders; indexed in 0007
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
    # A cross-department chain does the work (core/chains.py); added in 0008.
    chain_running: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Graded a major hazard, by whom; who closed the ticket (core/major_hazards.py); 0009.
    major_at: datetime | None = _at(index=True)
    major_by: str | None = Field(default=None, max_length=64)
    closed_by: str | None = Field(default=None, max_length=64)
    # What core/duplicates.py found when it was filed; added in 0015.
    suspected_duplicate_of: str | None = Field(default=None, max_length=20)
    reused_photo_of: str | None = Field(default=None, max_length=20)

    __table_args__ = (
        Index("ix_tickets_day_number", "day", "number", unique=True),
        # The month's KPIs (storage/kpi.py) read a range of created_at and look repeats up
        # by machine, category and validity (the index alone answers); added in 0017.
        Index("ix_tickets_created_at", "created_at"),
        Index("ix_tickets_repeats", "equipment", "category", "validity", "created_at"),
        # The month pass of storage/kpi.py reads valid tickets from this index alone; 0020.
        Index("ix_tickets_kpis", "created_at", "area", "category", "severity", "status",
              "equipment", "acknowledged_at", "resolved_at", "closed_at", "validity",
              sqlite_where=text("validity = 'valid'"),
              postgresql_where=text("validity = 'valid'")),
    )


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
    # When the person was last told their draft is kept (handlers/draft_nudges.py); earlier
    # than updated_at means not yet in this idle period. Added in 0011.
    nudged_at: datetime | None = _at()

    __table_args__ = (Index("ix_conversations_flow_updated_at", "flow", "updated_at"),)


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

    # Escalations of a month are counted by action and time (storage/kpi.py); 0017.
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)


class PointsRow(SQLModel, table=True):
    """One entry of the append-only points ledger (core/ledger.py); 0014 added all but
    person, ticket, delta, reason and at. A balance is the sum of a person's deltas."""

    __tablename__ = "points_ledger"

    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=16)
    delta: int
    ticket: str | None = Field(default=None, max_length=20, index=True)
    order_id: int | None = None
    part: str | None = Field(default=None, max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    actor: str = Field(max_length=64)
    at: datetime = _at(nullable=False)
    # Unique: a replayed press or a second process writes the entry once.
    idempotency_key: str | None = Field(default=None, max_length=120)

    __table_args__ = (
        Index("ix_points_ledger_idempotency_key", "idempotency_key", unique=True),
    )


class PointsAccountRow(SQLModel, table=True):
    """A person's account, only to be locked (`SELECT … FOR UPDATE`) while an order or an
    adjustment reads their balance: the balance itself is never stored. Added in 0014."""

    __tablename__ = "points_accounts"

    person: str = Field(max_length=64, primary_key=True)


class ShopOrderRow(SQLModel, table=True):
    """An order in the points shop (core/shop.py). Added in 0014."""

    __tablename__ = "shop_orders"

    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=64)
    item: str = Field(max_length=64)
    price: int
    status: str = Field(max_length=16, index=True)
    created_at: datetime = _at(nullable=False)
    decided_at: datetime | None = _at()
    decided_by: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, sa_column=Column(Text))

    # A person's orders of an item this month (the monthly limit).
    __table_args__ = (
        Index("ix_shop_orders_person_item_created_at", "person", "item", "created_at"),
    )


class ShopStockRow(SQLModel, table=True):
    """How many of an item orders hold; plant.yaml's `stock` less this is what is left.
    Changed only by conditional updates (storage/shop.py), so it never passes the stock.
    Added in 0014."""

    __tablename__ = "shop_stock"

    item: str = Field(max_length=64, primary_key=True)
    taken: int = 0

    __table_args__ = (CheckConstraint("taken >= 0", name="ck_shop_stock_taken"),)


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


class ChainRow(SQLModel, table=True):
    """A cross-department chain (core/chains.py), one per ticket at most."""

    __tablename__ = "chains"

    id: int | None = Field(default=None, primary_key=True)
    ticket: str = Field(max_length=20, unique=True)
    rule: str = Field(max_length=64)
    name: str = Field(max_length=200)
    name_en: str = Field(default="", max_length=200)
    opened_at: datetime = _at(nullable=False)
    completed_at: datetime | None = _at()
    cancelled_at: datetime | None = _at()
    closed_at: datetime | None = _at()
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
    policy: dict[str, Any] = _json()
    level: int = 0
    due_at: datetime | None = _at(index=True)
    opened_at: datetime | None = _at()
    confirmed_at: datetime | None = _at()
    promised_at: datetime | None = _at()
    done_at: datetime | None = _at()
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
    entered_at: datetime = _at(nullable=False)


class DigestRow(SQLModel, table=True):
    """One person's digest of one plant day, written with it: each is sent once."""

    __tablename__ = "digests"

    person: str = Field(max_length=64, primary_key=True)
    day: date = Field(primary_key=True)
    sent_at: datetime = _at(nullable=False)


class GatheredReminderRow(SQLModel, table=True):
    """A reminder kept for a person's next digest, with the step it was about."""

    __tablename__ = "digest_entries"

    id: int | None = Field(default=None, primary_key=True)
    person: str = Field(max_length=64, index=True)
    ticket: str = Field(max_length=20)
    step: str = Field(max_length=160)
    gathered_at: datetime = _at(nullable=False)


class RoundRow(SQLModel, table=True):
    """An inspection round (core/inspections.py); (plan, area, opens_at) is unique, so a day
    generated twice, or by two processes at once, keeps one round each. Added in 0012."""

    __tablename__ = "rounds"

    id: int | None = Field(default=None, primary_key=True)
    plan: str = Field(max_length=64)
    area: str = Field(max_length=64)
    assignee: str = Field(max_length=64)
    opens_at: datetime = _at(index=True, nullable=False)
    closes_at: datetime = _at(nullable=False)
    checkpoints: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(max_length=16)
    policy: dict[str, Any] | None = _json_or_null()
    escalation_level: int = 0
    # The sweep finds due rounds through these two indexes, one range each.
    due_at: datetime | None = _at(index=True)
    remind_at: datetime | None = _at(index=True)
    finished_at: datetime | None = _at()

    __table_args__ = (
        Index("ix_rounds_plan_area_opens_at", "plan", "area", "opens_at", unique=True),
        Index("ix_rounds_assignee_opens_at", "assignee", "opens_at"),
    )


class RoundDayRow(SQLModel, table=True):
    """A plant day whose rounds were generated, under plans with this fingerprint."""

    __tablename__ = "round_days"

    day: date = Field(primary_key=True)
    fingerprint: str = Field(max_length=64)
    generated_at: datetime = _at(nullable=False)


class RoundAnnouncementRow(SQLModel, table=True):
    """One inspector's list of one plant day's rounds, written with it: each is sent once."""

    __tablename__ = "round_announcements"

    person: str = Field(max_length=64, primary_key=True)
    day: date = Field(primary_key=True)
    sent_at: datetime = _at(nullable=False)


class CheckInRow(SQLModel, table=True):
    """Presence at one checkpoint of a round (core/inspections.py `CheckIn`). Added in 0013."""

    __tablename__ = "checkins"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="rounds.id", index=True)
    checkpoint: str = Field(max_length=64)
    person: str = Field(max_length=64)
    at: datetime = _at(nullable=False)
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
    at: datetime | None = _at()

    __table_args__ = (
        Index("ix_checklist_answers_checkin_id_item", "checkin_id", "item", unique=True),
    )


def _band() -> Any:
    return Field(default=None, sa_column=Column(SmallInteger, nullable=True, index=True))


class PhotoPrintRow(SQLModel, table=True):
    """A photo of a ticket by its print (core/photo_prints.py): the SHA-256 and the
    difference hash, and the hash's eight bands, each indexed, so a lookup reads only the
    photos that share a band with the one looked for. Added in 0015."""

    __tablename__ = "photo_prints"

    id: int | None = Field(default=None, primary_key=True)
    ticket: str = Field(max_length=20)
    sha256: str = Field(max_length=64, index=True)
    # The 64-bit hash as a signed BIGINT (storage/duplicates.py); NULL for a plain picture.
    dhash: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    b0: int | None = _band()
    b1: int | None = _band()
    b2: int | None = _band()
    b3: int | None = _band()
    b4: int | None = _band()
    b5: int | None = _band()
    b6: int | None = _band()
    b7: int | None = _band()
    # Not indexed: a lookup goes in by the bands and the SHA-256, and the window only
    # filters what they found (an index here would tempt SQLite to read the whole window).
    created_at: datetime = _at(nullable=False)

    __table_args__ = (
        Index("ix_photo_prints_ticket_sha256", "ticket", "sha256", unique=True),
    )


class TicketFollowerRow(SQLModel, table=True):
    """A person who joined a ticket instead of reporting it again: they hear what its
    reporter hears (core/duplicates.py). Added in 0015."""

    __tablename__ = "ticket_followers"

    ticket: str = Field(max_length=20, primary_key=True)
    person: str = Field(max_length=64, primary_key=True, index=True)
    joined_at: datetime = _at(nullable=False)


class TicketImportRow(SQLModel, table=True):
    """A ledger row imported as a ticket (core/ticket_rows.py), by its import key: the
    file's code, or a hash of the row. The key is unique, so a file imported again, even by
    two processes at once, adds each ticket once. Added in 0016."""

    __tablename__ = "ticket_imports"

    key: str = Field(max_length=80, primary_key=True)
    ticket: str = Field(max_length=20, index=True)
    source_code: str | None = Field(default=None, max_length=64)  # the file's own numbering
    imported_at: datetime = _at(nullable=False)


class RunPeriodRow(SQLModel, table=True):
    """A machine ran without stopping from `started_at` to `ended_at` (core/usage_rows.py).
    Periods of one machine never overlap, so their starts are unique. Added in 0016."""

    __tablename__ = "run_periods"

    id: int | None = Field(default=None, primary_key=True)
    equipment: str = Field(max_length=64)
    started_at: datetime = _at(nullable=False)
    ended_at: datetime = _at(nullable=False)

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
    updated_at: datetime = _at(nullable=False)


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
    recorded_at: datetime = _at(nullable=False)

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
    run_hours: list[float | None] | None = _json_or_null()
    long_run_hours: float
    created_at: datetime = _at(nullable=False)

    __table_args__ = (
        Index("ix_trend_warnings_pair_day", "equipment", "category", "window_end", unique=True),
        Index("ix_trend_warnings_window_end", "window_end"),
    )


class TrendScanRow(SQLModel, table=True):
    """A plant day whose nightly trend scan ran. Added in 0018."""

    __tablename__ = "trend_scans"

    day: date = Field(primary_key=True)
    scanned_at: datetime = _at(nullable=False)


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
    added_at: datetime = _at(nullable=False)


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
    requested_at: datetime = _at(nullable=False)
    sent_at: datetime | None = _at()

    __table_args__ = (
        Index("ix_monthly_reports_key", "key", unique=True),
        Index("ix_monthly_reports_sent_at", "sent_at"),
    )

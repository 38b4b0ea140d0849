"""SQLModel tables. Domain objects never see them: repositories map both ways.

The modules' tables live beside these, one file per concept; importing this module
registers them all on SQLModel.metadata, as the migrations and their test expect, and
every row class is imported from here, wherever its table is defined."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    Text,
    false,
    text,
)
from sqlmodel import Field, SQLModel

from storage.analytics_tables import (
    AddedPlanRow as AddedPlanRow,
)
from storage.analytics_tables import (
    HoursWorkedRow as HoursWorkedRow,
)
from storage.analytics_tables import (
    InjuryRow as InjuryRow,
)
from storage.analytics_tables import (
    MonthlyReportRow as MonthlyReportRow,
)
from storage.analytics_tables import (
    RunPeriodRow as RunPeriodRow,
)
from storage.analytics_tables import (
    TicketImportRow as TicketImportRow,
)
from storage.analytics_tables import (
    TrendScanRow as TrendScanRow,
)
from storage.analytics_tables import (
    TrendWarningRow as TrendWarningRow,
)
from storage.columns import band, json_or_null, json_value, moment
from storage.followup_tables import (
    ChainRow as ChainRow,
)
from storage.followup_tables import (
    ChainStepRow as ChainStepRow,
)
from storage.followup_tables import (
    DigestRow as DigestRow,
)
from storage.followup_tables import (
    GatheredReminderRow as GatheredReminderRow,
)
from storage.followup_tables import (
    RemediationPlanRow as RemediationPlanRow,
)
from storage.inspection_tables import (
    CheckInRow as CheckInRow,
)
from storage.inspection_tables import (
    ChecklistAnswerRow as ChecklistAnswerRow,
)
from storage.inspection_tables import (
    RoundAnnouncementRow as RoundAnnouncementRow,
)
from storage.inspection_tables import (
    RoundDayRow as RoundDayRow,
)
from storage.inspection_tables import (
    RoundRow as RoundRow,
)


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
    due_at: datetime | None = moment(index=True)
    remind_at: datetime | None = moment(index=True)  # swept by core.reminders; indexed in 0007
    respond_by: datetime | None = moment()
    resolve_by: datetime | None = moment()
    created_at: datetime = moment(nullable=False)
    acknowledged_at: datetime | None = moment()
    started_at: datetime | None = moment()
    resolved_at: datetime | None = moment()
    closed_at: datetime | None = moment()
    rejected_at: datetime | None = moment()
    reason: str | None = Field(default=None, sa_column=Column(Text))
    duplicate_of: str | None = Field(default=None, max_length=20)
    # The deadline policy copied when the ticket opened (storage.policies); NULL before 0005.
    policy: dict[str, Any] | None = json_or_null()
    # A cross-department chain does the work (core/chains.py); added in 0008.
    chain_running: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Graded a major hazard, by whom; who closed the ticket (core/major_hazards.py); 0009.
    major_at: datetime | None = moment(index=True)
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
    data: dict[str, Any] = json_value()
    updated_at: datetime = moment(nullable=False)
    # When the person was last told their draft is kept (handlers/draft_nudges.py); earlier
    # than updated_at means not yet in this idle period. Added in 0011.
    nudged_at: datetime | None = moment()

    __table_args__ = (Index("ix_conversations_flow_updated_at", "flow", "updated_at"),)


class InboxRow(SQLModel, table=True):
    """Keys of updates already handled, so platform retries act once."""

    __tablename__ = "inbox"

    channel: str = Field(max_length=16, primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    seen_at: datetime = moment(index=True, nullable=False)


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    address: str = Field(max_length=254, index=True)  # an e-mail address may be this long
    person: str | None = Field(default=None, max_length=64)
    ticket: str | None = Field(default=None, max_length=20)
    payload: dict[str, Any] = json_value()
    # What the delivery worker draws and sends as the image (a before/after), if anything.
    picture: dict[str, Any] | None = json_or_null()
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    external_id: str | None = Field(default=None, max_length=128)
    created_at: datetime = moment(nullable=False)
    next_attempt_at: datetime = moment(nullable=False)
    sent_at: datetime | None = moment()
    # Host, process id and boot id of the worker that last leased it (storage.lease_owner).
    lease_owner: str | None = Field(default=None, max_length=200)

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"

    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = moment(nullable=False)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    subject: str = Field(max_length=64, index=True)
    data: dict[str, Any] = json_value()
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
    at: datetime = moment(nullable=False)
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
    created_at: datetime = moment(nullable=False)
    decided_at: datetime | None = moment()
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
    received_at: datetime = moment(nullable=False)
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0


class InviteRow(SQLModel, table=True):
    """A one-time invitation that binds whoever redeems it to a person of the roster."""

    __tablename__ = "invites"

    token: str = Field(max_length=64, primary_key=True)
    person: str = Field(max_length=64)
    created_by: str = Field(max_length=64)
    created_at: datetime = moment(nullable=False)
    expires_at: datetime = moment(nullable=False)
    used_at: datetime | None = moment()
    used_by: str | None = Field(default=None, max_length=160)


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
    b0: int | None = band()
    b1: int | None = band()
    b2: int | None = band()
    b3: int | None = band()
    b4: int | None = band()
    b5: int | None = band()
    b6: int | None = band()
    b7: int | None = band()
    # Not indexed: a lookup goes in by the bands and the SHA-256, and the window only
    # filters what they found (an index here would tempt SQLite to read the whole window).
    created_at: datetime = moment(nullable=False)

    __table_args__ = (
        Index("ix_photo_prints_ticket_sha256", "ticket", "sha256", unique=True),
    )


class TicketFollowerRow(SQLModel, table=True):
    """A person who joined a ticket instead of reporting it again: they hear what its
    reporter hears (core/duplicates.py). Added in 0015."""

    __tablename__ = "ticket_followers"

    ticket: str = Field(max_length=20, primary_key=True)
    person: str = Field(max_length=64, primary_key=True, index=True)
    joined_at: datetime = moment(nullable=False)

"""reminders and digests: an index for the reminder sweep, digests sent, reminders gathered

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The reminder sweep reads `remind_at <= now` as a range on this index.
    op.create_index("ix_tickets_remind_at", "tickets", ["remind_at"])
    op.create_table(
        "digests",
        sa.Column("person", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person", "day"),
    )
    op.create_table(
        "digest_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ticket", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("step", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("gathered_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_digest_entries_person", "digest_entries", ["person"])


def downgrade() -> None:
    op.drop_index("ix_digest_entries_person", table_name="digest_entries")
    op.drop_table("digest_entries")
    op.drop_table("digests")
    op.drop_index("ix_tickets_remind_at", table_name="tickets")

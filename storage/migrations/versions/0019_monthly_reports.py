"""monthly reports: the scheduled sends (once per month) and the requests waiting

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monthly_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=True),
        sa.Column("lang", sa.String(length=16), nullable=False),
        sa.Column("requested_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.types.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_monthly_reports_key", "monthly_reports", ["key"], unique=True)
    op.create_index("ix_monthly_reports_sent_at", "monthly_reports", ["sent_at"])


def downgrade() -> None:
    op.drop_index("ix_monthly_reports_sent_at", table_name="monthly_reports")
    op.drop_index("ix_monthly_reports_key", table_name="monthly_reports")
    op.drop_table("monthly_reports")

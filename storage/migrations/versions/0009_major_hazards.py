"""major hazards: a ticket's grading and who closed it; remediation plans (五落实)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tickets stored before were graded by nobody; who closed them is not known.
    with op.batch_alter_table("tickets") as table:
        table.add_column(
            sa.Column("major_at", storage.types.UtcDateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("major_by", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("closed_by", sa.String(length=64), nullable=True))
        table.create_index("ix_tickets_major_at", ["major_at"])
    op.create_table(
        "remediation_plans",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("responsible", sa.String(length=64), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("funds_fen", sa.BigInteger(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("emergency_plan", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=64), nullable=False),
        sa.Column("entered_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("remediation_plans")
    with op.batch_alter_table("tickets") as table:
        table.drop_index("ix_tickets_major_at")
        table.drop_column("closed_by")
        table.drop_column("major_by")
        table.drop_column("major_at")

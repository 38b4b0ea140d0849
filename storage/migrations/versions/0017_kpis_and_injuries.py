"""kpis and injuries: the injuries table, and indexes the month's KPI queries read

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "injuries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("lost_days", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_injuries_day", "injuries", ["day"])
    op.create_index("ix_injuries_department_day", "injuries", ["department", "day"])
    # The month's tickets are a range of created_at; a repeat is looked up by machine and
    # category among valid tickets before a time (the index alone answers); escalations are
    # audit entries of one action in a time range.
    op.create_index("ix_tickets_created_at", "tickets", ["created_at"])
    op.create_index("ix_tickets_repeats", "tickets",
                    ["equipment", "category", "validity", "created_at"])
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action_at", table_name="audit_log")
    op.drop_index("ix_tickets_repeats", table_name="tickets")
    op.drop_index("ix_tickets_created_at", table_name="tickets")
    op.drop_index("ix_injuries_department_day", table_name="injuries")
    op.drop_index("ix_injuries_day", table_name="injuries")
    op.drop_table("injuries")

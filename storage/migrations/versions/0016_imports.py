"""imports: ledger rows imported as tickets, equipment run periods, hours worked

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _at(name: str) -> sa.Column[object]:
    return sa.Column(name, storage.types.UtcDateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "ticket_imports",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("ticket", sa.String(length=20), nullable=False),
        sa.Column("source_code", sa.String(length=64), nullable=True),
        _at("imported_at"),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_ticket_imports_ticket", "ticket_imports", ["ticket"])
    op.create_table(
        "run_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("equipment", sa.String(length=64), nullable=False),
        _at("started_at"),
        _at("ended_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_run_periods_equipment_started_at", "run_periods",
                    ["equipment", "started_at"], unique=True)
    op.create_table(
        "hours_worked",
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        _at("updated_at"),
        sa.PrimaryKeyConstraint("department", "month"),
    )


def downgrade() -> None:
    op.drop_table("hours_worked")
    op.drop_index("ix_run_periods_equipment_started_at", table_name="run_periods")
    op.drop_table("run_periods")
    op.drop_index("ix_ticket_imports_ticket", table_name="ticket_imports")
    op.drop_table("ticket_imports")

"""inspection rounds: the rounds, the plant days generated, the day's lists sent

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _at(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("assignee", sa.String(length=64), nullable=False),
        _at("opens_at", nullable=False),
        _at("closes_at", nullable=False),
        sa.Column("checkpoints", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("policy", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        _at("due_at"),
        _at("remind_at"),
        _at("finished_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    # The unique key that makes generating a day twice (or in two processes) harmless.
    op.create_index("ix_rounds_plan_area_opens_at", "rounds", ["plan", "area", "opens_at"],
                    unique=True)
    op.create_index("ix_rounds_assignee_opens_at", "rounds", ["assignee", "opens_at"])
    op.create_index("ix_rounds_opens_at", "rounds", ["opens_at"])
    op.create_index("ix_rounds_due_at", "rounds", ["due_at"])
    op.create_index("ix_rounds_remind_at", "rounds", ["remind_at"])
    op.create_table(
        "round_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        _at("generated_at", nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "round_announcements",
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        _at("sent_at", nullable=False),
        sa.PrimaryKeyConstraint("person", "day"),
    )


def downgrade() -> None:
    op.drop_table("round_announcements")
    op.drop_table("round_days")
    for name in ("ix_rounds_remind_at", "ix_rounds_due_at", "ix_rounds_opens_at",
                 "ix_rounds_assignee_opens_at", "ix_rounds_plan_area_opens_at"):
        op.drop_index(name, table_name="rounds")
    op.drop_table("rounds")

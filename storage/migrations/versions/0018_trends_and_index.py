"""trends and index: trend warnings, the nights scanned, special plans added at run time

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trend_warnings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("equipment", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("run_hours", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("long_run_hours", sa.Float(), nullable=False),
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_trend_warnings_pair_day", "trend_warnings",
                    ["equipment", "category", "window_end"], unique=True)
    op.create_index("ix_trend_warnings_window_end", "trend_warnings", ["window_end"])
    op.create_table(
        "trend_scans",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("scanned_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "added_plans",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("area", sa.String(length=64), nullable=False),
        sa.Column("checkpoints", sa.JSON(), nullable=False),
        sa.Column("times", sa.JSON(), nullable=False),
        sa.Column("days", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("warning", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.Column("added_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("added_plans")
    op.drop_table("trend_scans")
    op.drop_index("ix_trend_warnings_window_end", table_name="trend_warnings")
    op.drop_index("ix_trend_warnings_pair_day", table_name="trend_warnings")
    op.drop_table("trend_warnings")

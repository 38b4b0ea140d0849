"""the response and rectification deadlines on tickets

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Older tickets keep NULL: core.escalation computes their deadlines from the report time.
    with op.batch_alter_table("tickets") as table:
        table.add_column(
            sa.Column("respond_by", storage.types.UtcDateTime(timezone=True), nullable=True))
        table.add_column(
            sa.Column("resolve_by", storage.types.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as table:
        table.drop_column("resolve_by")
        table.drop_column("respond_by")

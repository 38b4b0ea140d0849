"""draft nudges: when a person was told their idle draft is kept

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Drafts open at the upgrade have NULL: never nudged, so each may be nudged once.
    with op.batch_alter_table("conversations") as table:
        table.add_column(
            sa.Column("nudged_at", storage.types.UtcDateTime(timezone=True), nullable=True))
        table.create_index("ix_conversations_flow_updated_at", ["flow", "updated_at"])


def downgrade() -> None:
    with op.batch_alter_table("conversations") as table:
        table.drop_index("ix_conversations_flow_updated_at")
        table.drop_column("nudged_at")

"""a ticket's copy of its deadline policy and its reminder point; pictures drawn at delivery

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Older tickets keep NULL: core.escalation gives them the plant's current policy.
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("policy", sa.JSON(), nullable=True))
        table.add_column(
            sa.Column("remind_at", storage.types.UtcDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox") as table:
        table.add_column(sa.Column("picture", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.drop_column("picture")
    with op.batch_alter_table("tickets") as table:
        table.drop_column("remind_at")
        table.drop_column("policy")

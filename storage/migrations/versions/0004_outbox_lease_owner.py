"""who holds an outbox lease, so a restarted process can take back its dead leases

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Leases taken before this column existed stay NULL and simply run out.
    with op.batch_alter_table("outbox") as table:
        table.add_column(sa.Column(
            "lease_owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as table:
        table.drop_column("lease_owner")

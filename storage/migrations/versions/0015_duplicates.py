"""duplicates: photo prints by band, ticket followers, suspected duplicates and reused photos

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_BANDS = [f"b{i}" for i in range(8)]


def upgrade() -> None:
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("suspected_duplicate_of", sa.String(length=20), nullable=True))
        table.add_column(sa.Column("reused_photo_of", sa.String(length=20), nullable=True))
    # Tickets opened before have no prints: their photos are not matched (see README).
    op.create_table(
        "photo_prints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=20), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("dhash", sa.BigInteger(), nullable=True),
        *[sa.Column(band, sa.SmallInteger(), nullable=True) for band in _BANDS],
        sa.Column("created_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_photo_prints_ticket_sha256", "photo_prints", ["ticket", "sha256"],
                    unique=True)
    op.create_index("ix_photo_prints_sha256", "photo_prints", ["sha256"])
    for band in _BANDS:
        op.create_index(f"ix_photo_prints_{band}", "photo_prints", [band])
    op.create_table(
        "ticket_followers",
        sa.Column("ticket", sa.String(length=20), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("joined_at", storage.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ticket", "person"),
    )
    op.create_index("ix_ticket_followers_person", "ticket_followers", ["person"])


def downgrade() -> None:
    op.drop_index("ix_ticket_followers_person", table_name="ticket_followers")
    op.drop_table("ticket_followers")
    for band in _BANDS:
        op.drop_index(f"ix_photo_prints_{band}", table_name="photo_prints")
    op.drop_index("ix_photo_prints_sha256", table_name="photo_prints")
    op.drop_index("ix_photo_prints_ticket_sha256", table_name="photo_prints")
    op.drop_table("photo_prints")
    with op.batch_alter_table("tickets") as table:
        table.drop_column("reused_photo_of")
        table.drop_column("suspected_duplicate_of")

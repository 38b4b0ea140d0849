"""cross department chains: chains and their steps; a ticket's flag while a chain does its work

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _at(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "chains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        _at("opened_at", nullable=False),
        _at("completed_at"),
        _at("cancelled_at"),
        _at("closed_at"),
        sa.Column("close_days", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("ticket"),
    )
    op.create_table(
        "chain_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        _at("due_at"),
        _at("opened_at"),
        _at("confirmed_at"),
        _at("promised_at"),
        _at("done_at"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photo", sa.String(length=64), nullable=True),
        sa.Column("handed_by", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["chains.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_chain_steps_chain_id", "chain_steps", ["chain_id"])
    op.create_index("ix_chain_steps_due_at", "chain_steps", ["due_at"])
    # Tickets stored before run no chain.
    with op.batch_alter_table("tickets") as table:
        table.add_column(sa.Column("chain_running", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("tickets") as table:
        table.drop_column("chain_running")
    op.drop_index("ix_chain_steps_due_at", table_name="chain_steps")
    op.drop_index("ix_chain_steps_chain_id", table_name="chain_steps")
    op.drop_table("chain_steps")
    op.drop_table("chains")

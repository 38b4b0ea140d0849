"""checkins and checklists: presence at a round's checkpoints and the checklist answered there

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _at(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("checkpoint", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        _at("at", nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("accuracy_m", sa.Float(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_checkins_round_id", "checkins", ["round_id"])
    op.create_table(
        "checklist_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=160), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("risk_point", sa.String(length=64), nullable=True),
        sa.Column("ticket", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _at("at"),
        sa.ForeignKeyConstraint(["checkin_id"], ["checkins.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    # One answer per item and check-in; the checklist of a check-in is read by this prefix.
    op.create_index("ix_checklist_answers_checkin_id_item", "checklist_answers",
                    ["checkin_id", "item"], unique=True)
    op.create_index("ix_checklist_answers_ticket", "checklist_answers", ["ticket"])


def downgrade() -> None:
    op.drop_index("ix_checklist_answers_ticket", table_name="checklist_answers")
    op.drop_index("ix_checklist_answers_checkin_id_item", table_name="checklist_answers")
    op.drop_table("checklist_answers")
    op.drop_index("ix_checkins_round_id", table_name="checkins")
    op.drop_table("checkins")

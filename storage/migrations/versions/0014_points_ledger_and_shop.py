"""points ledger and shop: entry kinds, who, parts and idempotency keys; accounts, orders, stock

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _at(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, storage.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("points_ledger") as table:
        table.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
        table.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        table.add_column(sa.Column("part", sa.String(length=32), nullable=True))
        table.add_column(sa.Column("actor", sa.String(length=64), nullable=True))
        table.add_column(sa.Column("idempotency_key", sa.String(length=120), nullable=True))
        # Orders and adjustments concern no ticket; an admin's reason is words, not a code.
        table.alter_column("ticket", existing_type=sa.String(length=20), nullable=True)
        table.alter_column("reason", existing_type=sa.String(length=16), type_=sa.Text(),
                           existing_nullable=False)
    _key_the_entries_kept_so_far()
    with op.batch_alter_table("points_ledger") as table:
        table.alter_column("kind", existing_type=sa.String(length=16), nullable=False)
        table.alter_column("actor", existing_type=sa.String(length=64), nullable=False)
        table.create_index("ix_points_ledger_ticket", ["ticket"])
        table.create_index("ix_points_ledger_idempotency_key", ["idempotency_key"], unique=True)
    op.create_table(
        "points_accounts",
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("person"),
    )
    op.create_table(
        "shop_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        _at("created_at", nullable=False),
        _at("decided_at"),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shop_orders_status", "shop_orders", ["status"])
    op.create_index("ix_shop_orders_person_item_created_at", "shop_orders",
                    ["person", "item", "created_at"])
    op.create_table(
        "shop_stock",
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.CheckConstraint("taken >= 0", name="ck_shop_stock_taken"),
        sa.PrimaryKeyConstraint("item"),
    )


def _key_the_entries_kept_so_far() -> None:
    """Entries before 0014 were a report's whole points, given (valid) or taken back
    (duplicate, invalid) by the system: awards and revocations of the severity part, keyed
    by generation as core/ledger.py keys them, so a later judgement continues the count."""
    ledger = sa.table(
        "points_ledger", sa.column("id", sa.Integer()), sa.column("ticket", sa.String()),
        sa.column("delta", sa.Integer()), sa.column("kind", sa.String()),
        sa.column("part", sa.String()), sa.column("actor", sa.String()),
        sa.column("idempotency_key", sa.String()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(ledger.c.id, ledger.c.ticket, ledger.c.delta).order_by(ledger.c.id)).all()
    awards: dict[str, int] = {}
    for entry_id, ticket, delta in rows:
        kind = "award" if delta > 0 else "revoke"
        if kind == "award":
            generation = awards.get(ticket, 0)
            awards[ticket] = generation + 1
        else:
            generation = awards.get(ticket, 1) - 1
        connection.execute(
            ledger.update().where(ledger.c.id == entry_id).values(
                kind=kind, part="severity", actor="system",
                idempotency_key=f"{kind}:{ticket}:severity:{generation}"))


def downgrade() -> None:
    op.drop_table("shop_stock")
    op.drop_index("ix_shop_orders_person_item_created_at", table_name="shop_orders")
    op.drop_index("ix_shop_orders_status", table_name="shop_orders")
    op.drop_table("shop_orders")
    op.drop_table("points_accounts")
    # The schema before 0014 knows only a report's points: orders and adjustments go, and
    # with them what was spent and corrected.
    op.execute("DELETE FROM points_ledger WHERE ticket IS NULL")
    with op.batch_alter_table("points_ledger") as table:
        table.drop_index("ix_points_ledger_idempotency_key")
        table.drop_index("ix_points_ledger_ticket")
        table.alter_column("reason", existing_type=sa.Text(), type_=sa.String(length=16),
                           existing_nullable=False)
        table.alter_column("ticket", existing_type=sa.String(length=20), nullable=False)
        for column in ("idempotency_key", "actor", "part", "order_id", "kind"):
            table.drop_column(column)

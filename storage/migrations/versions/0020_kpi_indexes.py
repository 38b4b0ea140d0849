"""kpi indexes: the month's valid tickets read from one index alone

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# Every column storage/kpi.py's month pass reads, led by the month's range: the pass never
# visits the table itself. Partial: the KPIs count valid tickets only. validity is in it too,
# though its value is known, because SQLite counts an index as covering only when it holds
# every column the query names.
COLUMNS = ["created_at", "area", "category", "severity", "status", "equipment",
           "acknowledged_at", "resolved_at", "closed_at", "validity"]
VALID = sa.text("validity = 'valid'")


def upgrade() -> None:
    op.create_index("ix_tickets_kpis", "tickets", COLUMNS, sqlite_where=VALID,
                    postgresql_where=VALID)


def downgrade() -> None:
    op.drop_index("ix_tickets_kpis", table_name="tickets")

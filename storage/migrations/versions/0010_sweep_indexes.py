"""sweep indexes: a ticket that is not open keeps no deadline

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:20:00

The sweeps find due tickets through the deadline index (`ix_tickets_due_at`) and check the
status on each row found (storage.tickets.still_open), so a sweep costs what the due
tickets cost, whatever the table holds. That holds while every resolved, closed or
rejected ticket has `due_at` NULL, which core.escalation has always ensured (each move to
such a status reschedules to "nothing left to time"); this clears any row that says
otherwise, so none can sit in the index's due range. No new index is needed: the existing
ones serve once the queries stop asking the planner to choose the status index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The open statuses as core.tickets.OPEN_STATUSES names them when this was written.
_OPEN = ("reported", "acknowledged", "in_progress")


def upgrade() -> None:
    tickets = sa.table("tickets", sa.column("due_at"), sa.column("status"))
    op.execute(
        tickets.update()
        .where(tickets.c.due_at.is_not(None), tickets.c.status.not_in(_OPEN))
        .values(due_at=None)
    )


def downgrade() -> None:
    pass  # a cleared deadline of a finished ticket was never going to fire

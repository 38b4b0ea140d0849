"""checkins and checklists (placeholder: filled by the work that needs it)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 22:20:00
"""

from __future__ import annotations

from alembic import op  # noqa: F401

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

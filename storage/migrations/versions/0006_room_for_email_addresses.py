"""room for e-mail addresses: an account and an outbox address hold up to 254 characters

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# RFC 5321 caps a forward path at 256 octets with its angle brackets: 254 for the address.
ADDRESS = 254
BEFORE = 128


def _widen(length_from: int, length_to: int) -> None:
    with op.batch_alter_table("identities") as table:
        table.alter_column(
            "external_id", existing_nullable=False,
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=length_from),
            type_=sqlmodel.sql.sqltypes.AutoString(length=length_to),
        )
    with op.batch_alter_table("outbox") as table:
        table.alter_column(
            "address", existing_nullable=False,
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=length_from),
            type_=sqlmodel.sql.sqltypes.AutoString(length=length_to),
        )


def upgrade() -> None:
    _widen(BEFORE, ADDRESS)


def downgrade() -> None:
    _widen(ADDRESS, BEFORE)

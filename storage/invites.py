"""One-time invitations, redeemed at most once even by two processes at the same moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col

from storage.tables import InviteRow


class SqlInvites:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, *, token: str, person: str, created_by: str, created_at: datetime,
        expires_at: datetime,
    ) -> None:
        self.session.add(InviteRow(
            token=token, person=person, created_by=created_by, created_at=created_at,
            expires_at=expires_at,
        ))

    def redeem(self, token: str, *, by: str, at: datetime) -> str | None:
        row = self.session.get(InviteRow, token)
        if row is None or row.used_at is not None or row.expires_at <= at:
            return None
        # A conditional UPDATE, so only one of two concurrent redemptions can win.
        claimed = self.session.execute(
            update(InviteRow)
            .where(col(InviteRow.token) == token, col(InviteRow.used_at).is_(None))
            .values(used_at=at, used_by=by[:160])
        )
        return row.person if claimed.rowcount == 1 else None  # type: ignore[attr-defined]

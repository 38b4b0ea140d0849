"""The hash-chained audit log in SQL: append under a lock, read in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from core.audit import GENESIS, AuditEntry, entry_hash
from storage.tables import AuditRow

_AUDIT_LOCK = 7_311_001


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(
        self, *, at: datetime, actor: str, action: str, subject: str, data: dict[str, Any]
    ) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            # One writer at a time keeps the chain linear across processes.
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK})
        newest = select(AuditRow).order_by(col(AuditRow.seq).desc()).limit(1)
        last = self.session.exec(newest).first()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        clean, at = _jsonable(data), at.astimezone(UTC)
        digest = entry_hash(prev, seq, at, actor, action, subject, clean)
        self.session.add(AuditRow(
            seq=seq, at=at, actor=actor, action=action, subject=subject, data=clean,
            prev_hash=prev, hash=digest,
        ))
        self.session.flush()

    def entries(self) -> Iterator[AuditEntry]:
        yield from self.find()

    def find(
        self, *, subject: str | None = None, since: datetime | None = None
    ) -> Iterator[AuditEntry]:
        """Entries about one subject and/or from an instant on, in log order."""
        query = select(AuditRow).order_by(col(AuditRow.seq))
        if subject is not None:
            query = query.where(col(AuditRow.subject) == subject)
        if since is not None:
            query = query.where(col(AuditRow.at) >= since)
        for row in self.session.exec(query):
            yield AuditEntry(
                row.seq, row.at, row.actor, row.action, row.subject, dict(row.data),
                row.prev_hash, row.hash,
            )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """Store exactly what was hashed: str() for values JSON cannot carry as they are."""
    def plain(value: Any) -> Any:
        if isinstance(value, str | int | float | bool) or value is None:
            return value
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        return str(value)

    return {str(k): plain(v) for k, v in data.items()}

"""The monthly report's sends in SQL (core/monthly_log.py). The scheduled send's row is
written with INSERT … ON CONFLICT DO NOTHING on its unique key, so of two processes sending
the same month one keeps the row and the other learns it lost; a request is marked served
with a guarded UPDATE, so two processes serving it send it once."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from core.monthly_log import ReportRequest
from storage.tables import MonthlyReportRow

_reports = MonthlyReportRow.__table__  # type: ignore[attr-defined]
_REQUEST = "request:"


def _scheduled_key(month: str) -> str:
    return f"scheduled:{month}"


class SqlMonthlyReportLog:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def _insert(self) -> Any:
        return postgresql.insert if self._postgres else sqlite.insert

    def request(self, *, month: str, person: str, lang: str, at: datetime) -> None:
        self.session.execute(_reports.insert().values(
            key=f"{_REQUEST}{uuid.uuid4().hex}", month=month, person=person, lang=lang,
            requested_at=at))

    def pending(self, limit: int = 10) -> list[ReportRequest]:
        r = _reports.c
        query = (select(r.id, r.month, r.person, r.lang, r.requested_at)
                 .where(r.sent_at.is_(None), r.key.startswith(_REQUEST))
                 .order_by(r.id).limit(limit))
        return [ReportRequest(int(i), month, person or "", lang, at)
                for i, month, person, lang, at in self.session.execute(query)]

    def served(self, request_id: int, at: datetime) -> bool:
        r = _reports.c
        done = self.session.execute(update(_reports).where(r.id == request_id,
                                                           r.sent_at.is_(None))
                                    .values(sent_at=at))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def scheduled_sent(self, month: str) -> bool:
        r = _reports.c
        found = self.session.execute(select(r.id).where(r.key == _scheduled_key(month)))
        return found.first() is not None

    def mark_scheduled(self, month: str, at: datetime) -> bool:
        statement = (self._insert()(_reports)
                     .values(key=_scheduled_key(month), month=month, person=None, lang="",
                             requested_at=at, sent_at=at)
                     .on_conflict_do_nothing(index_elements=["key"])
                     .returning(_reports.c.id))
        return self.session.execute(statement).first() is not None

"""The monthly report's sends, kept as rows: the scheduled one once per month (a unique row
per month, so two processes or a restart send it once) and each `/report YYYY-MM` request
until it is served (a request survives a restart)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ReportRequest:
    """A person asked for a month's report; `lang` is the language they read."""

    id: int
    month: str  # YYYY-MM
    person: str
    lang: str
    requested_at: datetime


class MonthlyReportLog(Protocol):
    def request(self, *, month: str, person: str, lang: str, at: datetime) -> None:
        """Keep a request until it is served."""
        ...
    def pending(self, limit: int = 10) -> list[ReportRequest]:
        """Requests not yet served, oldest first."""
        ...
    def served(self, request_id: int, at: datetime) -> bool:
        """Mark a request served; False when another process served it first."""
        ...
    def scheduled_sent(self, month: str) -> bool: ...
    def mark_scheduled(self, month: str, at: datetime) -> bool:
        """Keep the month's scheduled send; False when it is kept already (another process
        sent it): the caller then rolls back what it queued."""
        ...

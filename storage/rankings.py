"""Points earned per person, summed in SQL from the ledger, for the rankings (core/ranking.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.ranking import EARNED
from storage.tables import PointsRow


class SqlRankings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def earned(self, since: datetime | None = None) -> list[tuple[str, int]]:
        total = func.sum(PointsRow.delta).label("total")
        query = (select(PointsRow.person, total)
                 .where(col(PointsRow.kind).in_([kind.value for kind in EARNED])))
        if since is not None:
            query = query.where(col(PointsRow.at) >= since)
        query = query.group_by(col(PointsRow.person))
        return [(person, int(points)) for person, points in self.session.exec(query)]

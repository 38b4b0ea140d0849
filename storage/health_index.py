"""The safety health index (core/health_index.py) counted with the KPIs' SQL
(storage/kpi.py): the port `safetyloop kpi` and `/index` read."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from core.health_index import IndexScore, month_index
from core.plant import Plant
from storage.kpi import SqlKpiSource


class SqlHealthIndex:
    def __init__(self, session: Session) -> None:
        self.source = SqlKpiSource(session)

    def breakdown(self, plant: Plant, year: int, month: int, *,
                  as_of: datetime) -> dict[str, IndexScore]:
        return month_index(plant, self.source, year, month, as_of=as_of)

    def health_index(self, plant: Plant, year: int, month: int, *,
                     as_of: datetime) -> dict[str, float]:
        return {department: found.index for department, found
                in self.breakdown(plant, year, month, as_of=as_of).items()}

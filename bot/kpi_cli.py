"""`safetyloop kpi YYYY-MM [--department ID] [--as-of ISO] --format json|table`: the month's
KPIs (core/kpi.py) as JSON with exactly the keys of issue 12, or as a table to read."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from bot.plantfile import read_plant
from bot.settings import Settings
from core.kpi import Kpis, month_kpis, parse_month
from core.plant import Plant
from storage.database import make_engine, upgrade
from storage.uow import SqlUnitOfWork


def parse_as_of(text: str | None, plant: Plant, now: datetime) -> datetime:
    """An ISO 8601 instant; a date or a time without a zone is the plant's local time."""
    if not text:
        return now
    when = datetime.fromisoformat(text.strip())
    return when if when.tzinfo else when.replace(tzinfo=ZoneInfo(plant.timezone))


def kpi_report(settings: Settings, *, month: str, department: str | None, as_of: str | None,
               fmt: str, out: TextIO, err: TextIO, now: datetime | None = None) -> int:
    plant = read_plant(settings.plant_file)
    try:
        year, number = parse_month(month)
    except ValueError:
        err.write(f"{month!r}: give the month as YYYY-MM, e.g. 2026-11\n")
        return 2
    try:
        instant = parse_as_of(as_of, plant, now or datetime.now(UTC))
    except ValueError:
        err.write(f"--as-of {as_of!r}: give an ISO 8601 time, e.g. 2026-12-01T08:00+08:00\n")
        return 2
    if department is not None and department not in plant.departments_by_id:
        known = ", ".join(plant.departments_by_id) or "-"
        err.write(f"--department {department!r} is not in plant.yaml (known: {known})\n")
        return 2
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with SqlUnitOfWork(engine) as uow:
            kpis = month_kpis(plant=plant, source=uow.kpis, injuries=uow.injuries,
                              hours=uow.hours_worked, year=year, month=number, as_of=instant,
                              department=department,
                              health_index=_index(uow, plant, year, number, instant, department))
    finally:
        engine.dispose()
    if fmt == "json":
        out.write(json.dumps(kpis.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(table(kpis, f"{year:04d}-{number:02d}", department) + "\n")
    return 0


def _index(uow: SqlUnitOfWork, plant: Plant, year: int, month: int, as_of: datetime,
           department: str | None) -> dict[str, float]:
    """The safety health index by department (core/health_index.py); one with --department."""
    found = uow.health_index.health_index(plant, year, month, as_of=as_of)
    return {d: v for d, v in found.items() if department is None or d == department}


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:,.2f}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_shown(v)}" for k, v in value.items()) or "-"
    return str(value)


def table(kpis: Kpis, month: str, department: str | None) -> str:
    """One KPI a line, its JSON key on the left."""
    rows = kpis.to_json()
    width = max(map(len, rows))
    head = f"KPIs {month}" + (f" · {department}" if department else "")
    return "\n".join([head, *(f"{key:<{width}}  {_shown(value)}" for key, value in rows.items())])

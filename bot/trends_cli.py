"""`safetyloop warnings [--as-of ISO] --format json|table`: the trend warnings the data gives
as of an instant (core/trend_scan.py), computed on the spot and kept nowhere. JSON is a list
of objects with exactly `equipment`, `category`, `count`, `window_days`, `run_hours_before`
and `message` (in the plant's language)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.kpi_cli import parse_as_of
from bot.plantfile import read_plant
from bot.settings import Settings
from core.plant import Plant
from core.trend_scan import find_warnings
from core.trends import TrendWarning
from handlers.warnings import message
from storage.database import make_engine, upgrade
from storage.uow import SqlUnitOfWork


def warning_json(plant: Plant, warning: TrendWarning, lang: str) -> dict[str, Any]:
    hours = warning.run_hours_before
    return {
        "equipment": warning.equipment, "category": warning.category, "count": warning.count,
        "window_days": warning.window_days,
        "run_hours_before": None if hours is None else [
            None if h is None else round(h, 2) for h in hours],
        "message": message(plant, warning, lang),
    }


def warnings_report(settings: Settings, *, as_of: str | None, fmt: str, out: TextIO,
                    err: TextIO, now: datetime | None = None) -> int:
    plant = read_plant(settings.plant_file)
    try:
        instant = parse_as_of(as_of, plant, now or datetime.now(UTC))
    except ValueError:
        err.write(f"--as-of {as_of!r}: give an ISO 8601 time, e.g. 2026-12-01T08:00+08:00\n")
        return 2
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with SqlUnitOfWork(engine) as uow:
            found = find_warnings(uow.trends, plant, instant)
    finally:
        engine.dispose()
    rows = [warning_json(plant, w, plant.language) for w in found]
    if fmt == "json":
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n".join(row["message"] for row in rows) + "\n" if rows else "-\n")
    return 0

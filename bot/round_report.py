"""`safetyloop rounds --week YYYY-Www`: a week's inspection rounds for tools (JSON, the
contract in the README) or people (the text `/rounds` answers, in the plant's language)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.plantfile import read_plant
from bot.settings import Settings
from core.round_coverage import parse_week, results, week_bounds, week_of
from handlers.i18n import t
from handlers.rounds import coverage_text
from reports.rounds_export import rounds_json
from storage.database import make_engine
from storage.uow import SqlUnitOfWork


def week_report(settings: Settings, week: str | None, fmt: str,
                now: datetime | None = None) -> str:
    """The week's rounds as JSON or text; ValueError for a week that cannot be read."""
    plant = read_plant(settings.plant_file)
    now = now or datetime.now(UTC)
    year, number = parse_week(week) if week else week_of(plant, now)
    since, until = week_bounds(plant, year, number)
    engine = make_engine(settings.database_url)
    try:
        with SqlUnitOfWork(engine) as uow:
            found = results(uow, uow.rounds.between(since, until), now)
    finally:
        engine.dispose()
    if fmt == "json":
        return json.dumps(rounds_json(plant, year, number, found), ensure_ascii=False,
                          indent=2) + "\n"
    key, values = coverage_text(plant, plant.language, year, number, found)
    return t(plant.language, key, **values) + "\n"

"""A week of inspection rounds as JSON for tools (`safetyloop rounds --week YYYY-Www`): the
coverage per area and each round with its checkpoints. Instants in the plant's zone, with
offset. The shape is a contract (README, "Inspection plans and rounds"): add keys, never
rename or drop one.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.plant import Plant
from core.round_coverage import RoundResult, coverage, totals, week_bounds, week_name
from core.round_progress import Outcome


def _iso(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant else None


def _counts(counts: Counter[Outcome]) -> dict[str, int]:
    return {"rounds": sum(counts.values())} | {o.value: counts[o] for o in Outcome}


def rounds_json(plant: Plant, year: int, week: int, found: list[RoundResult]) -> dict[str, Any]:
    zone = ZoneInfo(plant.timezone)
    since, until = week_bounds(plant, year, week)
    areas = coverage(plant, found)
    return {
        "week": week_name(year, week),
        "timezone": plant.timezone,
        "from": _iso(since, zone),
        "until": _iso(until, zone),
        "totals": _counts(totals(areas)),
        "areas": [_area(plant, a.area) | _counts(a.counts) for a in areas],
        "rounds": [_round(result, zone) for result in found],
    }


def _area(plant: Plant, area_id: str) -> dict[str, Any]:
    area = plant.areas_by_id.get(area_id)
    return {
        "area": area_id, "name": area.name if area else area_id,
        "name_en": area.name_en if area else "",
        "risk_class": str(area.risk_class) if area else None,
    }


def _round(result: RoundResult, zone: ZoneInfo) -> dict[str, Any]:
    round_ = result.round
    return {
        "id": round_.id,
        "plan": round_.plan,
        "area": round_.area,
        "assignee": round_.assignee,
        "opens_at": _iso(round_.opens_at, zone),
        "closes_at": _iso(round_.closes_at, zone),
        "state": round_.state.value,
        "outcome": result.outcome.value,
        "escalation_level": round_.escalation_level,
        "checkpoints": [{"id": c, "done_at": _iso(result.done.get(c), zone)}
                        for c in round_.checkpoints],
        "missed": list(result.missed),
    }

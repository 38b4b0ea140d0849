"""`safetyloop rounds --format json`: the shape the README documents, key for key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.inspections import RoundState
from core.round_coverage import RoundResult
from core.round_progress import Outcome
from core.rounds import rounds_on
from reports.rounds_export import rounds_json
from tests.unit.core.round_fakes import plant_with_rounds

PLANT = plant_with_rounds()
MONDAY = datetime(2026, 11, 30, tzinfo=UTC).date()


def test_the_week_is_reported_in_the_documented_shape_with_plant_times() -> None:
    mach, paint, wh = rounds_on(PLANT, MONDAY)
    mach.id, paint.id, wh.id = 1, 2, 3
    paint.state, paint.escalation_level = RoundState.MISSED, 1
    done = {"CP-MACH-1": mach.opens_at + timedelta(minutes=72),
            "CP-MACH-2": mach.opens_at + timedelta(minutes=100)}
    found = [RoundResult(mach, done, Outcome.ON_TIME, ()),
             RoundResult(paint, {}, Outcome.MISSED, ("CP-PAINT-1",)),
             RoundResult(wh, {}, Outcome.OPEN, ())]
    data = rounds_json(PLANT, 2026, 49, found)
    assert {k: data[k] for k in ("week", "timezone", "from", "until", "totals")} == {
        "week": "2026-W49", "timezone": "Asia/Shanghai",
        "from": "2026-11-30T00:00:00+08:00", "until": "2026-12-07T00:00:00+08:00",
        "totals": {"rounds": 3, "on_time": 1, "late": 0, "partial": 0, "missed": 1, "open": 1},
    }
    assert data["areas"][0] == {
        "area": "MACH", "name": "机加工车间", "name_en": "", "risk_class": "A",
        "rounds": 1, "on_time": 1, "late": 0, "partial": 0, "missed": 0, "open": 0,
    }
    assert [a["area"] for a in data["areas"]] == ["MACH", "PAINT", "WH"]  # plant.yaml's order
    assert data["rounds"][0] == {
        "id": 1, "plan": "class", "area": "MACH", "assignee": "SO1",
        "opens_at": "2026-11-30T08:00:00+08:00", "closes_at": "2026-11-30T17:00:00+08:00",
        "state": "open", "outcome": "on_time", "escalation_level": 0,
        "checkpoints": [{"id": "CP-MACH-1", "done_at": "2026-11-30T09:12:00+08:00"},
                        {"id": "CP-MACH-2", "done_at": "2026-11-30T09:40:00+08:00"}],
        "missed": [],
    }
    assert (data["rounds"][1]["state"], data["rounds"][1]["missed"]) == ("missed", ["CP-PAINT-1"])

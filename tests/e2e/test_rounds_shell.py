"""End to end: `safetyloop shell` in its own process generates the demo plant's rounds on
its simulated clock, and after `!wait` the missed ones reach the safety manager once each;
`safetyloop rounds --week … --format json` then reports them missed."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.chat import msg
from tests.e2e.shell import Plant, lines_for

ZH = "zh-CN"
SUZHOU = ZoneInfo("Asia/Shanghai")


def week_of(instant: datetime) -> str:
    year, week, _ = instant.astimezone(SUZHOU).isocalendar()
    return f"{year}-W{week:02d}"


def test_the_shell_generates_rounds_and_escalates_the_missed_ones_once(plant: Plant) -> None:
    started = datetime.now(UTC)  # `--clock sim` starts at the real time
    done = plant.shell("SO1", "!wait 1m\n/round\n!wait 2d\n")
    assert done.returncode == 0, done.stderr

    so1, sm = lines_for(done.stdout, "SO1"), lines_for(done.stdout, "SM")
    assert msg(ZH, "round.none") not in so1  # /round found the generated rounds
    head = msg(ZH, "round.missed_manager", title="\x00", assignee="", window="", state="",
               checkpoints="").splitlines()[0].partition("\x00")[0]
    # Each notice: its title line, then inspector, window: one (title, window) pair per round.
    told = Counter((line, sm[i + 2]) for i, line in enumerate(sm) if line.startswith(head))
    assert told and max(told.values()) == 1, told

    reports = [plant.cli("rounds", "--week", week, "--format", "json")
               for week in sorted({week_of(started), week_of(started + timedelta(days=2))})]
    assert all(r.returncode == 0 for r in reports), [r.stderr for r in reports]
    rounds: list[dict[str, Any]] = [r for out in reports for r in json.loads(out.stdout)["rounds"]]
    missed = [r for r in rounds if r["state"] in ("missed", "partial")]
    assert len(missed) == sum(told.values())  # every missed round told, and only those
    assert all(r["escalation_level"] == 1 and r["outcome"] == "missed" for r in missed)
    assert {r["assignee"] for r in missed} <= {"SO1", "SO2"}

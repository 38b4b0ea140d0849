"""An inspector's morning in one scripted `safetyloop shell` session on the simulated clock.

The script waits until 09:00 in the plant (the day's rounds are generated on the way), then
tries a check-in 300 m away, a forwarded and a stale location, checks in at the welding
shop and finds one item not OK (a ticket the electricians get), and does the whole stamping
round with every item OK.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.geo import EARTH_RADIUS_M
from tests.chat import msg
from tests.e2e.shell import Plant, lines_for

WELD = (31.31910, 120.71990)
STAMP_1, STAMP_2 = (31.31905, 120.71780), (31.31940, 120.71855)
ITEMS = 15  # the welding and the stamping shop each: 8 control measures, 7 workshop items


def minutes_until_nine(now: datetime) -> int:
    """Whole minutes until the next 09:00 in the plant at least two minutes away."""
    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    nine = local.replace(hour=9, minute=0, second=0, microsecond=0)
    if nine - local < timedelta(minutes=2):
        nine += timedelta(days=1)
    return math.ceil((nine - local).total_seconds() / 60)


def east_of(place: tuple[float, float], metres: float) -> tuple[float, float]:
    scale = EARTH_RADIUS_M * math.cos(math.radians(place[0]))
    return place[0], place[1] + math.degrees(metres / scale)


def at(place: tuple[float, float], tail: str = "8") -> str:
    return f"!location {place[0]:.7f} {place[1]:.7f} {tail}"


def test_an_inspectors_morning_of_refusals_a_finding_and_a_full_round(plant: Plant) -> None:
    plant.photo("finding.jpg", (200, 120, 40))
    script = [
        f"!wait {minutes_until_nine(datetime.now(UTC))}m",
        "/checkin",
        at(east_of(WELD, 300)),
        at(WELD, "8 forwarded"),
        at(WELD, "8 old"),
        at(WELD),
        *["!press 1"] * 6,
        "!press 异常",  # item 7: the flashback arrestors
        "!photo finding.jpg",
        "3号乙炔瓶缺回火防止器",
        "!press DB-WELD-1",
        "!press 消防隐患",
        *["!press 1"] * 8,
        "/checkin", at(STAMP_1, "12"), *["!press 1"] * ITEMS,
        "/checkin", at(STAMP_2, "12"), *["!press 1"] * ITEMS,
    ]
    done = plant.shell("SO1", "\n".join(script) + "\n")
    assert done.returncode == 0, done.stderr
    said = lines_for(done.stdout, "SO1")

    assert msg("zh-CN", "checkin.too_far", distance="300", checkpoint="CP-WELD-1",
               area="焊接车间", radius="40") in said
    assert msg("zh-CN", "checkin.forwarded") in said
    assert msg("zh-CN", "checkin.stale", minutes=60, limit=2) in said

    tickets = plant.tickets()
    assert len(tickets) == 1
    ticket = tickets[0]
    assert (ticket["assignee_team"], ticket["area"], ticket["equipment"]) == (
        "ELEC", "WELD", "DB-WELD-1")
    assert any(ticket["code"] in line for line in lines_for(done.stdout, "TL-ELEC"))
    welded = msg("zh-CN", "checklist.done", checkpoint="CP-WELD-1", ok=14, not_ok=1, na=0,
                 tickets=msg("zh-CN", "checklist.tickets", codes=ticket["code"]),
                 left=msg("zh-CN", "checklist.round_done"))
    assert welded.splitlines()[0] in said

    stamp_1 = msg("zh-CN", "checklist.done", checkpoint="CP-STAMP-1", ok=ITEMS, not_ok=0,
                  na=0, tickets="", left=msg("zh-CN", "checklist.left", checkpoints="CP-STAMP-2"))
    stamp_2 = msg("zh-CN", "checklist.done", checkpoint="CP-STAMP-2", ok=ITEMS, not_ok=0,
                  na=0, tickets="", left=msg("zh-CN", "checklist.round_done"))
    assert stamp_1.splitlines()[1] in said and stamp_2.splitlines() == said[-2:]

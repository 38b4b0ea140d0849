"""A major hazard through the real `safetyloop shell` process: graded, work refused without a
plan, the plan entered from the refusal's button, then the work starts."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from tests.chat import msg
from tests.e2e.shell import Plant, lines_for

ZH = "zh-CN"
MEASURES = "加装联锁防护罩，更换破损护板"
EMERGENCY = "停机挂牌，设警戒区，专人监护"


def test_grade_then_plan_then_start_in_the_real_shell(
    plant: Plant, capsys: pytest.CaptureFixture[str],
) -> None:
    photo = plant.photo("hazard.jpg", (200, 40, 40))
    script = "\n".join([
        "/report", f"!photo {photo}", "!press 1", "!location 31.3172 120.7208 12", "CNC-07",
        "主轴防护罩破损，铁屑飞溅", "!press 2", "!press 2", "!press 1",
        "!as SM",
        "/todo",
        f"!press {msg(ZH, 'action.major')}",
        "!as TL-MECH",
        "/todo",
        f"!press {msg(ZH, 'action.accept')}",
        f"!press {msg(ZH, 'action.start')}",      # refused: no plan yet
        f"!press {msg(ZH, 'button.enter_plan')}",  # the refusal's own button
        "TL-MECH", MEASURES, "5万", "!press 2", EMERGENCY,
        "!press 1",                                 # submit the plan
        f"!press {msg(ZH, 'action.start')}",        # on the card that came with the plan
    ]) + "\n"

    done = plant.shell("W01", script)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    [ticket] = plant.tickets()
    code = ticket["code"]
    assert ticket["status"] == "in_progress"
    lead = "\n".join(lines_for(done.stdout, "TL-MECH"))
    assert msg(ZH, "refused.major_plan_missing", code=code) in lead
    assert msg(ZH, "plan.saved", code=code) in lead
    manager = lines_for(done.stdout, "PM")
    assert sum(line.startswith("🔴 重大事故隐患：") for line in manager) == 1

    capsys.readouterr()  # what reading the tickets printed
    assert main(["major", "export", "--database", plant.env["SAFETYLOOP_DATABASE_URL"],
                 "--config", plant.env["SAFETYLOOP_PLANT_FILE"]]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert (record["code"], record["graded_by"], record["status"]) == (code, "SM", "in_progress")
    assert record["plan"]["responsible"] == "TL-MECH"
    assert record["plan"]["funds_yuan"] == "50000.00"

"""plant.yaml's `inspections`: the demo's plans (SO1 the A and B areas, SO2 the C areas, a
monitored machine twice a day), and `config check` naming what cannot work by its path."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from core.plant import RiskClass
from tests.chat import DEMO_PLANT
from tests.databases import plant_from
from tests.integration.test_plantfile import line
from tests.integration.test_plantfile_reminders import config_check, edited_demo

INSPECTORS = """    SO1: [STAMP, WELD, MOLD, MACH]  # the A and B areas
    SO2: [ASSY, WH]                 # the C areas"""


def test_the_demo_plant_gives_so1_the_a_and_b_areas_and_so2_the_c_areas() -> None:
    plant = plant_from(DEMO_PLANT)
    settings = plant.inspections
    assert settings is not None
    held = {area.id: (area.risk_class, settings.inspector_of(area.id)) for area in plant.areas}
    assert {(cls, who) for cls, who in held.values()} == {
        (RiskClass.A, "SO1"), (RiskClass.B, "SO1"), (RiskClass.C, "SO2")}
    assert (settings.default_window.start, settings.default_window.end) == (time(8), time(17))
    assert settings.remind == timedelta(hours=2) and settings.anchor == date(2024, 1, 1)
    [cnc07] = settings.special
    assert (cnc07.area, cnc07.checkpoints, cnc07.times) == (
        "MACH", ("CP-MACH-1",), ("08:00-12:00", "13:00-17:00"))


def test_config_check_refuses_an_inspector_who_is_not_safety_staff_or_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, (INSPECTORS, """    SO1: [STAMP, WELD, MOLD, MACH]
    W01: [ASSY]
    NOBODY: [WH]"""))
    code, errors = config_check(path, capsys)
    assert code == 1
    assert [e.split(": ", 2)[1:] for e in errors] == [
        ["inspections.inspectors.W01", "'W01' cannot hold inspection rounds: an inspector must "
         "be a safety_officer or the safety_manager" + _line(path, "W01: [ASSY]")],
        ["inspections.inspectors.NOBODY", "unknown person 'NOBODY'" + _line(path, "NOBODY:")],
    ]


def test_config_check_names_an_area_nobody_holds_or_two_people_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, (INSPECTORS, """    SO1: [STAMP, WELD, MOLD, MACH, ASSY]
    SO2: [ASSY, PAINT]"""))
    code, errors = config_check(path, capsys)
    assert code == 1
    found = [e.split(": ", 2)[1:] for e in errors]
    assert ["inspections.inspectors.SO2[0]", "area 'ASSY' is already held by 'SO1': an area has "
            "one inspector" + _line(path, "SO2: [ASSY, PAINT]")] in found
    assert ["inspections.inspectors.SO2[1]", "unknown area 'PAINT'"
            + _line(path, "SO2: [ASSY, PAINT]")] in found
    assert any(where == "inspections.inspectors" and "nobody holds area 'WH' (class C)" in what
               for where, what in found)


def test_config_check_reads_plans_windows_and_special_checkpoints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(
        tmp_path, ("    B: every 2 days", "    B: fortnightly"),
        ('  window: "08:00-17:00"', '  window: "08:00"'),
        ("      checkpoints: [CP-MACH-1]", "      checkpoints: [CP-WH-1]"),
    )
    code, errors = config_check(path, capsys)
    assert code == 1
    found = {e.split(": ", 2)[1] for e in errors}
    assert found == {"inspections.classes.B", "inspections.window",
                     "inspections.special[0].checkpoints[0]"}
    assert any("'CP-WH-1' is in area 'WH', not 'MACH'" in e for e in errors)
    assert any("not a schedule: 'fortnightly'" in e for e in errors)


def _line(path: Path, text: str) -> str:
    return f" (line {line(path, text)})"

"""plant.yaml's risk register: the demo's risk points and checklists, and `config check`
refusing what is wrong (path and line) and warning of what looks wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from core.plant import Plant, RiskClass
from core.risk import RiskLevel
from tests.chat import DEMO_PLANT
from tests.databases import plant_from
from tests.integration.test_plantfile import MINIMAL, broken, line, write


def edited_demo(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = DEMO_PLANT.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def config_check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    code = main(["config", "check", str(path)])
    out = capsys.readouterr()
    return code, out.err.splitlines(), out.out


@pytest.fixture(scope="module")
def demo() -> Plant:
    return plant_from(DEMO_PLANT)


STAMP_R1_LEC = "        l: 3\n        e: 10\n        c: 7\n"


# --- the demo plant


def test_the_demo_areas_take_their_classes_from_their_risk_points(demo: Plant) -> None:
    assert {a.id: (a.risk_class, a.class_by_hand) for a in demo.areas} == {
        "STAMP": (RiskClass.A, False),
        "WELD": (RiskClass.A, False),
        "MOLD": (RiskClass.B, False),
        "MACH": (RiskClass.B, False),
        "ASSY": (RiskClass.C, False),
        "WH": (RiskClass.C, False),
    }
    stamp = demo.areas_by_id["STAMP"]
    assert [(p.id, p.d, p.level()) for p in stamp.risk_points] == [
        ("STAMP-R1", 210, RiskLevel.ORANGE),
        ("STAMP-R2", 45, RiskLevel.BLUE),
        ("STAMP-R3", 90, RiskLevel.YELLOW),
    ]


def test_every_demo_risk_point_has_two_to_four_measures_in_both_languages(demo: Plant) -> None:
    points = [p for area in demo.areas for p in area.risk_points]
    assert len(points) >= 3 * len(demo.areas)
    for p in points:
        assert p.hazard and p.hazard_en, p.id
        assert 2 <= len(p.measures) <= 4, p.id
        assert all(m.text and m.text_en for m in p.measures), p.id


def test_the_demo_has_workshop_and_warehouse_checklists_and_each_area_has_one(
    demo: Plant,
) -> None:
    assert set(demo.checklists) == {"workshop", "warehouse"}
    assert all(5 <= len(items) <= 8 for items in demo.checklists.values())
    assert all(item.text and item.text_en for items in demo.checklists.values() for item in items)
    assert {a.id: a.type for a in demo.areas if a.type != "workshop"} == {"WH": "warehouse"}


def test_config_check_passes_the_demo_plant_without_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert config_check(DEMO_PLANT, capsys) == (0, [], f"{DEMO_PLANT}: OK\n")


# --- errors: the file is refused


def test_a_value_off_the_lec_scale_is_refused_with_the_scale_path_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, (STAMP_R1_LEC, "        l: 4\n        e: 10\n        c: 8\n"))
    code, errors, _ = config_check(path, capsys)
    assert code == 1
    assert errors == [
        f"{path}: areas[0].risk_points[0].l: 4 is not on the LEC scale for L; use one of "
        f"0.1, 0.2, 0.5, 1, 3, 6, 10 (line {line(path, 'l: 4')})",
        f"{path}: areas[0].risk_points[0].c: 8 is not on the LEC scale for C; use one of "
        f"1, 3, 7, 15, 40, 100 (line {line(path, 'c: 8')})",
    ]


def test_lec_values_that_are_not_numbers_are_refused_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, (STAMP_R1_LEC, "        l: high\n        e: 10\n        c: 7\n"))
    code, errors, _ = config_check(path, capsys)
    assert (code, errors) == (1, [
        f"{path}: areas[0].risk_points[0].l: expected a number, got 'high' "
        f"(line {line(path, 'l: high')})",
    ])


def test_an_area_type_without_a_checklist_is_refused_naming_the_types_there_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ("    type: warehouse\n", "    type: store\n"))
    code, errors, _ = config_check(path, capsys)
    assert (code, errors) == (1, [
        f"{path}: areas[5].type: no checklist for area type 'store' (checklists has: "
        f"workshop, warehouse) (line {line(path, 'type: store')})",
    ])


def test_a_risk_point_id_used_twice_in_the_plant_is_refused_at_the_repeat(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ("      - id: WELD-R1\n", "      - id: STAMP-R1\n"))
    code, errors, _ = config_check(path, capsys)
    repeat = line(path, "- id: STAMP-R1", after=line(path, "- id: WELD"))
    assert (code, errors) == (1, [
        f"{path}: areas[1].risk_points[0].id: duplicate risk point id 'STAMP-R1' (already used "
        f"by areas[0].risk_points[0]) (line {repeat})",
    ])


def test_measures_grading_and_equipment_of_the_register_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, broken(
        equipment=[{"code": "CNC-07", "name": "加工中心", "type": "cnc", "area": "MACH"}],
        areas=[
            {"id": "MACH", "name": "机加工", "risk_points": [
                {"id": "R1", "hazard": "卷入", "l": 1, "e": 6, "c": 15, "equipment": "CNC-99",
                 "measures": [{"id": "M1", "text": "防护门"}, {"id": "M1", "text": "急停"}]},
                {"id": "R2", "hazard": "割伤", "l": 1, "e": 6, "c": 3},
            ]},
            {"id": "WH", "name": "仓库", "risk_points": [
                {"id": "R3", "hazard": "撞击", "l": 1, "e": 6, "c": 3, "equipment": "cnc-07",
                 "measures": [{"id": "M1", "text": "限速"}]},
            ]},
        ],
        risk_grading={"red": 160, "orange": 320, "yellow": 70},
        checklists={"workshop": []},
    ))
    code, errors, _ = config_check(path, capsys)
    assert code == 1
    assert [e.removeprefix(f"{path}: ").rsplit(" (line ", 1)[0] for e in errors] == [
        "areas[0].risk_points[0].equipment: unknown equipment 'CNC-99'",
        "areas[0].risk_points[0].measures[1].id: duplicate measure id 'M1' (already used by "
        "areas[0].risk_points[0].measures[0])",
        "areas[0].risk_points[1].measures: 'R2' needs at least one control measure (管控措施)",
        "areas[1].risk_points[0].equipment: 'CNC-07' is in area 'MACH', not 'WH'",
        "risk_grading: the levels must rise: 0 < yellow < orange < red, got yellow 70, "
        "orange 320, red 160",
        "checklists.workshop: has no items (list them, or remove the type)",
    ]


def test_the_worked_out_flag_is_not_a_key_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, broken(areas=[
        {"id": "MACH", "name": "机加工", "class_by_hand": True}]))
    code, errors, _ = config_check(path, capsys)
    assert code == 1
    assert errors[0].startswith(f"{path}: areas[0].class_by_hand: unknown key 'class_by_hand'")


# --- warnings: the file loads, config check says what to look at


def test_a_hand_set_class_lower_than_the_risk_points_is_a_warning_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ("    name_en: Stamping shop\n",
                                  "    name_en: Stamping shop\n    risk_class: C\n"))
    code, warnings, out = config_check(path, capsys)
    assert code == 0
    assert warnings == [
        f"{path}: areas[0].risk_class: warning: class C is lower than its risk points call "
        "for: 'STAMP-R1' is orange (D 210), which makes class A; the area would be inspected "
        "less often than its risks require (raise risk_class, or remove it to follow the "
        f"risk points) (line {line(path, 'risk_class: C')})",
    ]
    assert out == f"{path}: OK (1 warning)\n"
    assert plant_from(path).areas_by_id["STAMP"].risk_class is RiskClass.C


def test_a_hand_set_class_as_high_or_higher_than_the_risks_is_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ("    name_en: Assembly shop\n",
                                  "    name_en: Assembly shop\n    risk_class: B\n"))
    assert config_check(path, capsys) == (0, [], f"{path}: OK\n")
    assert plant_from(path).areas_by_id["ASSY"].risk_class is RiskClass.B


def test_an_area_with_no_risk_points_and_no_class_is_c_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, broken(areas=[
        {"id": "MACH", "name": "机加工"}, {"id": "WH", "name": "仓库", "risk_class": "C"}]))
    code, warnings, out = config_check(path, capsys)
    assert (code, out) == (0, f"{path}: OK (1 warning)\n")
    assert warnings == [
        f"{path}: areas[0]: warning: 'MACH' has no risk points and no risk_class, so it is "
        f"taken as class C (list its risk points, or write risk_class) "
        f"(line {line(path, '- id: MACH')})",
    ]
    assert "areas" not in MINIMAL  # the minimal plant itself has no areas to warn about

"""`config check` on the demo plant's chain gone wrong: each error by path, with its line."""

from __future__ import annotations

from pathlib import Path

from bot.plantfile import check_plant, read_plant
from core.plant import Role
from tests.chat import DEMO_PLANT

ASSESS = "        - {id: assess, name: 安全评估, name_en: Safety assessment,\n"
REPAIR = "department: EQUIP, role: team_lead, team: ELEC, window: 4h, after: [assess]}"
RESCHEDULE = "department: PROD, role: department_head, window: 4h}"


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = DEMO_PLANT.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if fragment in text)


def test_the_demo_plant_declares_the_pilot_plants_cabinet_chain() -> None:
    [rule] = read_plant(DEMO_PLANT).chains.rules
    assert (rule.match.category, rule.match.equipment_type) == ("electrical",
                                                                "distribution_board")
    assert [(s.id, s.department, s.role, s.team, s.after) for s in rule.steps] == [
        ("assess", "SAFETY", Role.SAFETY_OFFICER, None, ()),
        ("repair", "EQUIP", Role.TEAM_LEAD, "ELEC", ("assess",)),
        ("reschedule", "PROD", Role.DEPARTMENT_HEAD, None, ()),
    ]


def test_config_check_names_each_chain_error_with_its_line(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        (REPAIR, REPAIR.replace("team: ELEC", "team: ELECTRIC")),
        (RESCHEDULE, RESCHEDULE.replace("PROD", "PRODUCTION")),
        ("id: reschedule,", "id: assess,"),
    )
    repair, reschedule = line_of(path, "team: ELECTRIC"), line_of(path, "PRODUCTION")
    assert check_plant(path) == [
        f"{path}: chains.rules[0].steps[1].team: unknown team 'ELECTRIC' (line {repair})",
        f"{path}: chains.rules[0].steps[2].id: duplicate step id 'assess' (already used by "
        f"chains.rules[0].steps[0]) (line {reschedule - 1})",
        f"{path}: chains.rules[0].steps[2].department: unknown department 'PRODUCTION' "
        f"(line {reschedule})",
    ]


def test_config_check_finds_steps_that_wait_for_each_other(tmp_path: Path) -> None:
    looping = ASSESS.replace("{id: assess,", "{id: assess, after: [repair],")
    path = edited(tmp_path, (ASSESS, looping))
    looped = line_of(path, "after: [repair]")
    assert check_plant(path) == [
        f"{path}: chains.rules[0].steps[0].after: steps wait for each other in a loop: "
        f"assess → repair → assess (none of them would start) (line {looped})",
    ]


def test_config_check_catches_a_misspelt_key_in_a_step(tmp_path: Path) -> None:
    path = edited(tmp_path, (RESCHEDULE, RESCHEDULE.replace("window:", "windw:")))
    errors = check_plant(path)
    assert f"{path}: chains.rules[0].steps[2].windw: unknown key 'windw' (did you mean " \
           f"'window'?) (line {line_of(path, 'windw')})" in errors


def test_config_check_refuses_a_role_that_does_not_exist(tmp_path: Path) -> None:
    officer = "role: safety_officer, window: 2h}"
    path = edited(tmp_path, (officer, officer.replace("officer", "offcer")))
    [error] = check_plant(path)
    assert error.startswith(f"{path}: chains.rules[0].steps[0].role: not allowed: "
                            "'safety_offcer'; expected 'worker', 'safety_officer'")
    assert error.endswith(f"(line {line_of(path, 'safety_offcer')})")

"""Loading plant.yaml files from disk: the demo plant, and every kind of mistake in a file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.plantfile import channel_keys
from core.geo import GeoPoint, distance_m
from core.plant import Plant, Role, RoutingRule
from core.point_settings import Bonuses, PointRules
from storage.plantfile import PlantFileError, check_plant_file, load_plant

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"

MINIMAL: dict[str, Any] = {
    "name": "测试工厂",
    "site": {"lat": 31.318, "lon": 120.719, "radius_m": 1500},
    "departments": [{"id": "SAFETY", "name": "安全部", "head": "SM"}],
    "teams": [{"id": "MECH", "name": "机修班", "department": "SAFETY", "lead": "TL"}],
    "people": [
        {"id": "SM", "name": "王建国", "roles": ["safety_manager"], "department": "SAFETY"},
        {"id": "SO1", "name": "李娜", "roles": ["safety_officer"], "superior": "SM"},
        {"id": "TL", "name": "周杰", "roles": ["team_lead"], "superior": "SM"},
    ],
    "categories": [{"id": "mechanical", "name": "机械"}],
    "routing": {"default_team": "MECH", "rules": [{"category": "mechanical", "team": "MECH"}]},
}


@pytest.fixture(scope="module")
def demo() -> Plant:
    return load_plant(DEMO, channels=channel_keys())


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    lines = check_plant_file(path, channels=channel_keys())
    assert lines, "expected the file to be rejected"
    assert all(line.startswith(f"{path}: ") for line in lines)
    return [line.removeprefix(f"{path}: ") for line in lines]


def line(path: Path, snippet: str, *, after: int = 0) -> int:
    """The number of the first line of the file (below line `after`) that contains snippet."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if n > after and snippet in text)


def broken(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


def first_match(plant: Plant, category: str, equipment_code: str | None) -> str:
    """First-match routing as the design describes it, to check the order of the demo's rules."""
    kind = plant.equipment_by_code[equipment_code].type if equipment_code else None

    def matches(rule: RoutingRule) -> bool:
        return rule.category in (None, category) and rule.equipment_type in (None, kind)

    return next((r.team for r in plant.routing.rules if matches(r)), plant.routing.default_team)


# --- the demo plant


def test_the_demo_plant_loads_without_problems(demo: Plant) -> None:
    assert demo.problems() == []
    assert check_plant_file(DEMO, channels=channel_keys()) == []
    assert (demo.timezone, demo.language) == ("Asia/Shanghai", "zh-CN")


def test_the_demo_plant_has_the_stable_ids_the_readme_relies_on(demo: Plant) -> None:
    heads = {d.id: d.head for d in demo.departments}
    assert heads.items() >= {"SAFETY": "SM", "EQUIP": "DH-EQUIP", "PROD": "DH-PROD"}.items()
    assert {"LEGAL", "ADMIN"} <= heads.keys()
    elec, mech = demo.teams_by_id["ELEC"], demo.teams_by_id["MECH"]
    assert (elec.department, elec.lead, elec.chats) == (
        "EQUIP",
        "TL-ELEC",
        {"telegram": "-1001000000001", "wecom": "wrELEC"},
    )
    assert (mech.department, mech.lead, mech.chats) == (
        "EQUIP",
        "TL-MECH",
        {"telegram": "-1001000000002", "wecom": "wrMECH"},
    )
    assert set(demo.areas_by_id) == {"STAMP", "WELD", "MOLD", "MACH", "ASSY", "WH"}
    assert {a.id: a.risk_class for a in demo.areas} == {
        "STAMP": "A",
        "WELD": "A",
        "MOLD": "B",
        "MACH": "B",
        "ASSY": "C",
        "WH": "C",
    }
    assert set(demo.categories_by_id) == {
        "electrical",
        "mechanical",
        "fire",
        "chemical",
        "housekeeping",
        "other",
    }


def test_the_demo_people_have_the_roles_and_superiors_the_readme_relies_on(demo: Plant) -> None:
    def person(pid: str) -> tuple[object, ...]:
        p = demo.people_by_id[pid]
        return (p.roles, p.department, p.team, p.superior)

    assert person("TL-ELEC") == ((Role.TEAM_LEAD,), "EQUIP", "ELEC", "DH-EQUIP")
    assert person("TL-MECH") == ((Role.TEAM_LEAD,), "EQUIP", "MECH", "DH-EQUIP")
    assert person("SO1") == ((Role.SAFETY_OFFICER,), "SAFETY", None, "SM")
    assert person("DH-EQUIP")[0::3] == ((Role.DEPARTMENT_HEAD,), "SM")
    assert person("DH-PROD")[0::3] == ((Role.DEPARTMENT_HEAD,), "SM")
    assert demo.people_by_id["SM"].has(Role.SAFETY_MANAGER)
    assert demo.people_by_id["ADMIN"].has(Role.ADMIN)
    assert demo.with_role(Role.LEGAL_REVIEWER)
    for wid in ("W01", "W02"):
        assert person(wid)[:2] == ((Role.WORKER,), "PROD")
    assert demo.language_of("W02") == "en"
    assert demo.language_of("W01") == "zh-CN"


def test_every_demo_person_is_reachable_in_chat_and_has_a_superior_chain_to_the_top(
    demo: Plant,
) -> None:
    telegram = [p.accounts.get("telegram") for p in demo.people]
    wecom = [p.accounts.get("wecom") for p in demo.people]
    assert None not in telegram and len(set(telegram)) == len(telegram)
    assert None not in wecom and len(set(wecom)) == len(wecom)
    tops = {p.id for p in demo.people if p.superior is None}
    assert tops == {"PM", "LEGAL1", "ADMIN"}  # the safety manager reports to the plant manager
    for p in demo.people:
        seen = {p.id}
        while (boss := demo.people_by_id[p.id].superior) is not None:
            assert boss not in seen, f"superior loop through {boss}"
            seen.add(boss)
            p = demo.people_by_id[boss]


def test_the_demo_equipment_stands_where_the_readme_says(demo: Plant) -> None:
    assert (demo.equipment_by_code["CNC-07"].area, demo.equipment_by_code["CNC-07"].type) == (
        "MACH",
        "cnc",
    )
    assert (demo.equipment_by_code["PRESS-03"].area, demo.equipment_by_code["PRESS-03"].type) == (
        "STAMP",
        "press",
    )
    assert demo.equipment_by_code["DB-STAMP-1"].type == "distribution_board"
    assert all(2 <= len(demo.equipment_in(a.id)) <= 4 for a in demo.areas)


def test_the_demo_checkpoints_lie_inside_the_site(demo: Plant) -> None:
    centre = GeoPoint(demo.site.lat, demo.site.lon)
    assert (demo.site.lat, demo.site.lon, demo.site.radius_m) == (31.3180, 120.7190, 1500)
    for cp in demo.checkpoints:
        assert distance_m(centre, GeoPoint(cp.lat, cp.lon)) <= 400, cp.id
        assert 30 <= cp.radius_m <= 60, cp.id
    assert {cp.area for cp in demo.checkpoints} == set(demo.areas_by_id)


@pytest.mark.parametrize(
    ("category", "equipment", "team"),
    [
        ("electrical", "CNC-07", "ELEC"),  # electrical beats the machine's type
        ("fire", "DB-STAMP-1", "ELEC"),  # anything at a cabinet goes to electricians
        ("mechanical", "DB-STAMP-1", "ELEC"),  # the cabinet rule comes before mechanical
        ("mechanical", None, "MECH"),
        ("housekeeping", "PRESS-03", "MECH"),
        ("chemical", "FORK-12", "MECH"),  # no rule: the default team
    ],
)
def test_the_demo_routing_rules_are_in_a_sensible_order(
    demo: Plant, category: str, equipment: str | None, team: str
) -> None:
    assert first_match(demo, category, equipment) == team


def test_the_demo_timings_and_points_are_the_designed_ones(demo: Plant) -> None:
    sla = {s.value: (w.acknowledge, w.resolve) for s, w in demo.sla.items()}
    assert sla == {"general": ("24h", "7d"), "serious": ("4h", "4h"), "critical": ("15m", "1h")}
    assert [(lvl.role, lvl.window) for lvl in demo.escalation] == [
        (Role.DEPARTMENT_HEAD, "4h"),
        (Role.SAFETY_MANAGER, None),
    ]
    assert demo.points == PointRules(
        general=5, serious=10, critical=20,
        bonus=Bonuses(first_of_recurring=5, major_hazard=10, equipment_and_location=2),
    )


# --- mistakes in a file


def test_a_minimal_file_loads(tmp_path: Path) -> None:
    plant = load_plant(write(tmp_path, MINIMAL))
    assert plant.routing.rules[0].team == "MECH"


def test_a_routing_rule_naming_an_unknown_team_is_reported_with_its_path(tmp_path: Path) -> None:
    data = broken()
    data["routing"]["rules"][0]["team"] = "PAINT"
    path = write(tmp_path, data)
    assert errors_of(path) == [
        f"routing.rules[0].team: unknown team 'PAINT' (line {line(path, 'team: PAINT')})"
    ]


def test_a_duplicate_id_is_reported_at_the_line_of_the_duplicate_entry(tmp_path: Path) -> None:
    data = broken()
    data["people"][1]["id"] = "SM"
    path = write(tmp_path, data)
    second = line(path, "id: SM", after=line(path, "id: SM"))
    assert errors_of(path) == [
        f"people[1].id: duplicate id 'SM' (already used by people[0]) (line {second})"
    ]


def test_a_superior_who_does_not_exist_is_reported(tmp_path: Path) -> None:
    data = broken()
    data["people"][1]["superior"] = "BOSS"
    path = write(tmp_path, data)
    assert errors_of(path) == [
        f"people[1].superior: unknown person 'BOSS' (line {line(path, 'superior: BOSS')})"
    ]


def test_an_unknown_key_is_reported_with_a_suggestion(tmp_path: Path) -> None:
    data = broken()
    data["teams"][0]["colour"] = "red"
    data["people"][0]["nmae"] = "王"
    path = write(tmp_path, data)
    assert errors_of(path) == [
        "teams[0].colour: unknown key 'colour' (allowed: id, name, name_en, department, lead, "
        f"telegram_chat_id, wecom_chat_id) (line {line(path, 'colour')})",
        f"people[0].nmae: unknown key 'nmae' (did you mean 'name'?) (line {line(path, 'nmae')})",
    ]


def test_an_unknown_top_level_key_is_reported(tmp_path: Path) -> None:
    errors = errors_of(write(tmp_path, broken(canteen=[])))
    assert errors[0].startswith("canteen: unknown key 'canteen'")


def test_a_wrong_type_is_reported_in_plain_words(tmp_path: Path) -> None:
    data = broken()
    data["people"][0]["telegram_id"] = "abc"
    data["people"][1]["phone"] = 13800000001
    data["people"][1]["roles"] = "safety_officer"
    path = write(tmp_path, data)
    assert errors_of(path) == [
        "people[0].telegram_id: expected a whole number, got 'abc' "
        f"(line {line(path, 'telegram_id')})",
        "people[1].roles: expected a list, got 'safety_officer' "
        f"(write [safety_officer] for a single item) (line {line(path, 'roles: safety')})",
        "people[1].phone: expected text, got the number 13800000001 (put it in quotes) "
        f"(line {line(path, 'phone')})",
    ]


def test_an_unknown_role_lists_the_allowed_ones(tmp_path: Path) -> None:
    data = broken()
    data["people"][1]["roles"] = ["foreman"]
    [error] = errors_of(write(tmp_path, data))
    assert error.startswith("people[1].roles[0]: not allowed: 'foreman'; expected 'worker', ")


def test_an_unknown_severity_in_the_sla_is_reported_as_an_unknown_key(tmp_path: Path) -> None:
    data = broken(sla={"urgent": {"acknowledge": "1h"}})
    [error] = errors_of(write(tmp_path, data))
    assert error.startswith("sla.urgent: unknown key 'urgent'; expected 'general', 'serious'")


def test_a_yaml_syntax_error_gives_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plant.yaml"
    path.write_text("name: 工厂\nsite:\n  lat: 31.3\n   lon: 120.7\n", encoding="utf-8")
    [error] = errors_of(path)
    assert error.startswith("line 4, column 7: invalid YAML: mapping values are not allowed")


def test_a_tab_in_the_indentation_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "plant.yaml"
    path.write_text("name: 工厂\nsite:\n\tlat: 31.3\n", encoding="utf-8")
    [error] = errors_of(path)
    assert error.startswith("line 3, column 1: invalid YAML: ")
    assert error.endswith("(indent with spaces, not tabs)")


def test_a_key_written_twice_is_reported_instead_of_silently_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "plant.yaml"
    path.write_text("name: 工厂\nsite: {lat: 1, lon: 2}\nname: 另一个\n", encoding="utf-8")
    assert errors_of(path) == ["line 3, column 1: invalid YAML: key 'name' is written twice here"]


def test_a_bad_duration_is_reported_with_an_example(tmp_path: Path) -> None:
    data = broken(
        sla={
            "general": {"acknowledge": "24 hours", "resolve": "7d"},
            "serious": {"acknowledge": "4h"},
            "critical": {"acknowledge": "15m"},
        }
    )
    path = write(tmp_path, data)
    [error] = errors_of(path)
    assert error.startswith("sla.general.acknowledge: not a duration: '24 hours' (write e.g. 30m")
    assert error.endswith(f"(line {line(path, '24 hours')})")


def test_a_missing_required_field_is_reported_at_its_parent_line(tmp_path: Path) -> None:
    data = broken()
    del data["people"][1]["name"]
    del data["routing"]
    path = write(tmp_path, data)
    assert errors_of(path) == [
        "routing: required, but missing",
        f"people[1].name: required, but missing (line {line(path, 'id: SO1')})",
    ]


def test_an_empty_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "plant.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert errors_of(path) == ["expected key: value pairs at the top level; the file is empty"]


def test_a_missing_file_is_reported_rather_than_raised(tmp_path: Path) -> None:
    [error] = errors_of(tmp_path / "nope.yaml")
    assert error.startswith("cannot read the file: ")


def test_the_error_carries_the_file_and_each_path_for_callers(tmp_path: Path) -> None:
    data = broken()
    data["routing"]["default_team"] = "PAINT"
    path = write(tmp_path, data)
    with pytest.raises(PlantFileError) as caught:
        load_plant(path)
    assert caught.value.path == path
    assert caught.value.errors == [("routing.default_team", "unknown team 'PAINT'")]
    where = line(path, "default_team")
    assert str(caught.value) == f"{path}: routing.default_team: unknown team 'PAINT' (line {where})"


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_plant(path).name == "测试工厂"

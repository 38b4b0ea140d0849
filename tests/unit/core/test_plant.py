"""The plant model's cross-reference checks and the durations it is configured with."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.durations import parse_duration
from core.plant import (
    Area,
    Category,
    Checkpoint,
    Department,
    Equipment,
    EscalationLevel,
    Person,
    Plant,
    Role,
    Routing,
    RoutingRule,
    Severity,
    Site,
    SlaWindow,
    Team,
)


def plant(**changes: object) -> Plant:
    """A small plant with no problems; each test breaks one thing."""
    base = Plant(
        name="测试工厂",
        site=Site(lat=31.318, lon=120.719),
        routing=Routing(default_team="MECH", rules=(RoutingRule(team="MECH", category="mech"),)),
        departments=(Department(id="SAFETY", name="安全部", head="SM"),),
        teams=(Team(id="MECH", name="机修班", name_en="Mechanics", department="SAFETY"),),
        people=(
            Person(id="SM", name="王建国", roles=(Role.SAFETY_MANAGER,), department="SAFETY"),
            Person(id="SO1", name="李娜", roles=(Role.SAFETY_OFFICER,), superior="SM", lang="en"),
        ),
        areas=(Area(id="MACH", name="机加工车间", department="SAFETY"),),
        checkpoints=(Checkpoint(id="CP-1", area="MACH", lat=31.318, lon=120.719),),
        equipment=(Equipment(code="CNC-07", name="加工中心", type="cnc", area="MACH"),),
        categories=(Category(id="mech", name="机械"),),
    )
    return replace(base, **changes)


# --- durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("7d", timedelta(days=7)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        (" 4H ", timedelta(hours=4)),
        ("90s", timedelta(seconds=90)),
    ],
)
def test_a_duration_is_read_as_people_write_it(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["24 hours", "4", "h", "", "4h!", "-4h", "1.5h", "four hours"])
def test_anything_else_is_not_a_duration_and_the_error_shows_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a duration: .* \(write e\.g\. 30m, 4h, 1d12h\)"):
        parse_duration(text)


def test_an_sla_window_exposes_its_durations_as_timedeltas() -> None:
    assert SlaWindow("24h", "7d").acknowledge_within == timedelta(hours=24)
    assert SlaWindow("24h", "7d").resolve_within == timedelta(days=7)
    assert SlaWindow("15m").resolve_within is None


# --- problems


def test_a_consistent_plant_has_no_problems() -> None:
    assert plant().problems() == []


def test_a_routing_rule_naming_an_unknown_team_is_reported() -> None:
    p = plant(routing=Routing(default_team="MECH", rules=(RoutingRule(team="PAINT"),)))
    assert p.problems() == [("routing.rules[0].team", "unknown team 'PAINT'")]


def test_a_routing_rule_naming_an_unknown_category_or_area_is_reported() -> None:
    rule = RoutingRule(team="MECH", category="lasers", area="ROOF")
    assert plant(routing=Routing(default_team="MECH", rules=(rule,))).problems() == [
        ("routing.rules[0].category", "unknown category 'lasers'"),
        ("routing.rules[0].area", "unknown area 'ROOF'"),
    ]


def test_an_unknown_default_team_is_reported() -> None:
    assert plant(routing=Routing(default_team="PAINT")).problems() == [
        ("routing.default_team", "unknown team 'PAINT'")
    ]


def test_equipment_codes_are_duplicates_whatever_their_case() -> None:
    extra = Equipment(code="cnc-07", name="另一台", type="cnc", area="MACH")
    assert plant(equipment=(*plant().equipment, extra)).problems() == [
        (
            "equipment[1].code",
            "duplicate code 'cnc-07' (already used by equipment[0] as 'CNC-07'; "
            "case does not matter)",
        )
    ]


def test_a_duplicate_equipment_code_written_the_same_way_names_the_first() -> None:
    extra = Equipment(code="CNC-07", name="另一台", type="cnc", area="MACH")
    assert plant(equipment=(*plant().equipment, extra)).problems() == [
        ("equipment[1].code", "duplicate code 'CNC-07' (already used by equipment[0])")
    ]


def test_a_superior_who_does_not_exist_is_reported() -> None:
    p = plant()
    people = (p.people[0], replace(p.people[1], superior="BOSS"))
    assert plant(people=people).problems() == [("people[1].superior", "unknown person 'BOSS'")]


def test_a_person_in_an_unknown_department_or_team_is_reported() -> None:
    p = plant()
    people = (p.people[0], replace(p.people[1], department="PAINT", team="NIGHT"))
    assert plant(people=people).problems() == [
        ("people[1].department", "unknown department 'PAINT'"),
        ("people[1].team", "unknown team 'NIGHT'"),
    ]


def test_unknown_heads_leads_and_areas_are_reported() -> None:
    p = plant(
        departments=(Department(id="SAFETY", name="安全部", head="NOBODY"),),
        teams=(Team(id="MECH", name="机修班", department="GONE", lead="NOBODY"),),
        checkpoints=(Checkpoint(id="CP-1", area="ROOF", lat=31.318, lon=120.719),),
        equipment=(Equipment(code="CNC-07", name="加工中心", type="cnc", area="ROOF"),),
    )
    assert p.problems() == [
        ("departments[0].head", "unknown person 'NOBODY'"),
        ("teams[0].department", "unknown department 'GONE'"),
        ("teams[0].lead", "unknown person 'NOBODY'"),
        ("checkpoints[0].area", "unknown area 'ROOF'"),
        ("equipment[0].area", "unknown area 'ROOF'"),
    ]


def test_an_unsupported_language_is_reported_for_the_plant_and_for_a_person() -> None:
    p = plant()
    people = (p.people[0], replace(p.people[1], lang="fr"))
    assert plant(language="de", people=people).problems(languages=("zh-CN", "en")) == [
        ("language", "unsupported language 'de'"),
        ("people[1].lang", "unsupported language 'fr'"),
    ]


def test_a_bad_duration_in_the_sla_or_the_ladder_is_reported_with_its_path() -> None:
    sla = {**plant().sla, Severity.GENERAL: SlaWindow(acknowledge="24 hours", resolve="1 week")}
    ladder = (EscalationLevel(Role.DEPARTMENT_HEAD, "soon"), EscalationLevel(Role.SAFETY_MANAGER))
    paths = [path for path, _ in plant(sla=sla, escalation=ladder).problems()]
    assert paths == ["sla.general.acknowledge", "sla.general.resolve", "escalation[0].window"]


def test_a_severity_without_an_sla_window_is_reported() -> None:
    sla = {s: w for s, w in plant().sla.items() if s != Severity.CRITICAL}
    assert plant(sla=sla).problems() == [("sla", "no window for severity 'critical'")]


def test_a_plant_without_a_safety_officer_or_manager_is_reported() -> None:
    workers = (Person(id="SM", name="王建国"), Person(id="SO1", name="李娜"))
    assert plant(people=workers).problems() == [
        ("people", "nobody has the role 'safety_officer'"),
        ("people", "nobody has the role 'safety_manager'"),
    ]


def test_escalating_to_a_worker_is_reported() -> None:
    ladder = (EscalationLevel(Role.WORKER, "1h"), EscalationLevel(Role.SAFETY_MANAGER))
    assert plant(escalation=ladder).problems() == [
        ("escalation[0].role", "cannot escalate to 'worker'")
    ]


# --- look-ups the rest of the system relies on


def test_labels_and_languages_fall_back_to_chinese() -> None:
    p = plant()
    assert p.teams_by_id["MECH"].label("en") == "Mechanics"
    assert p.areas_by_id["MACH"].label("en") == "机加工车间"  # no name_en: Chinese it is
    assert p.teams_by_id["MECH"].label("zh-CN") == "机修班"
    assert (p.language_of("SO1"), p.language_of("SM"), p.language_of("NOBODY")) == (
        "en",
        "zh-CN",
        "zh-CN",
    )


def test_equipment_is_found_by_code_whatever_its_case_and_listed_by_area() -> None:
    p = plant()
    assert p.equipment_by_code["CNC-07"].area == "MACH"
    assert [e.code for e in p.equipment_in("MACH")] == ["CNC-07"]
    assert p.with_role(Role.SAFETY_OFFICER) == [p.people_by_id["SO1"]]
    assert p.people_by_id["SM"].has(Role.ADMIN, Role.SAFETY_MANAGER)

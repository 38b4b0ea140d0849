"""`config check` on valid YAML that is wrong for the loop: every error gives its path and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from storage.plantfile import check_plant_file
from tests.integration.test_plantfile import broken, line, write

SLA: dict[str, Any] = {
    "general": {"acknowledge": "24h", "resolve": "7d"},
    "serious": {"acknowledge": "4h", "resolve": "4h"},
    "critical": {"acknowledge": "15m", "resolve": "1h"},
}


def sla(severity: str, **window: str) -> dict[str, Any]:
    return {**SLA, severity: window}


def test_a_checkpoint_outside_the_site_says_how_far_it_is(tmp_path: Path) -> None:
    data = broken(
        areas=[{"id": "MACH", "name": "机加工车间"}],
        checkpoints=[{"id": "CP-FAR", "area": "MACH", "lat": 31.338, "lon": 120.719}],
    )
    path = write(tmp_path, data)
    assert check_plant_file(path) == [
        f"{path}: checkpoints[0]: 'CP-FAR' is 2224 m from the centre of the site, outside its "
        f"radius of 1500 m (check lat and lon, or site.radius_m) (line {line(path, 'CP-FAR')})"
    ]


def test_a_worker_set_as_team_lead_is_reported_at_the_lead(tmp_path: Path) -> None:
    data = broken()
    data["people"].append({"id": "W01", "name": "马晓东", "superior": "TL"})
    data["teams"][0]["lead"] = "W01"
    path = write(tmp_path, data)
    assert check_plant_file(path) == [
        f"{path}: teams[0].lead: 'W01' does not have the role 'team_lead' (add it to their "
        f"roles, or choose another lead) (line {line(path, 'lead: W01')})"
    ]


def test_a_loop_of_superiors_is_reported_once_with_everyone_in_it(tmp_path: Path) -> None:
    data = broken()
    data["people"][0]["superior"] = "SO1"
    path = write(tmp_path, data)
    assert check_plant_file(path) == [
        f"{path}: people[0].superior: superiors go round in a loop: SM → SO1 → SM (one of them "
        f"needs another superior, or none) (line {line(path, 'superior: SO1')})"
    ]


def test_a_person_who_is_their_own_superior_is_reported(tmp_path: Path) -> None:
    data = broken()
    data["people"][1]["superior"] = "SO1"
    path = write(tmp_path, data)
    assert check_plant_file(path) == [
        f"{path}: people[1].superior: 'SO1' cannot be their own superior "
        f"(line {line(path, 'superior: SO1')})"
    ]


def test_negative_points_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, broken(points={"general": -5, "serious": 10, "critical": 20}))
    assert check_plant_file(path) == [
        f"{path}: points.general: cannot be negative, got -5 (line {line(path, 'general: -5')})"
    ]


def test_a_zero_resolve_window_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, broken(sla=sla("general", acknowledge="24h", resolve="0m")))
    assert check_plant_file(path) == [
        f"{path}: sla.general.resolve: must be longer than zero, got '0m' "
        f"(line {line(path, 'resolve: 0m')})"
    ]


def test_a_zero_escalation_window_is_reported(tmp_path: Path) -> None:
    ladder = [{"role": "department_head", "window": "0m"}, {"role": "safety_manager"}]
    path = write(tmp_path, broken(escalation=ladder))
    assert check_plant_file(path) == [
        f"{path}: escalation[0].window: must be longer than zero, got '0m' "
        f"(line {line(path, 'window: 0m')})"
    ]


def test_acknowledging_later_than_the_fix_is_due_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, broken(sla=sla("critical", acknowledge="2h", resolve="1h")))
    assert check_plant_file(path) == [
        f"{path}: sla.critical.acknowledge: 2h is longer than resolve (1h): the team would have "
        f"longer to accept a ticket than to fix it (line {line(path, 'acknowledge: 2h')})"
    ]


def test_a_duplicate_equipment_code_points_at_the_duplicate_entry(tmp_path: Path) -> None:
    machine = {"name": "加工中心", "type": "cnc", "area": "MACH"}
    data = broken(
        areas=[{"id": "MACH", "name": "机加工车间"}],
        equipment=[{"code": "CNC-07", **machine}, {"code": "cnc-07", **machine}],
    )
    path = write(tmp_path, data)
    assert check_plant_file(path) == [
        f"{path}: equipment[1].code: duplicate code 'cnc-07' (already used by equipment[0] as "
        f"'CNC-07'; case does not matter) (line {line(path, 'code: cnc-07')})"
    ]


def test_a_third_copy_of_an_id_is_reported_at_its_own_line_too(tmp_path: Path) -> None:
    data = broken()
    data["people"] += [{"id": "SO1", "name": "李娜二"}, {"id": "SO1", "name": "李娜三"}]
    path = write(tmp_path, data)
    second = line(path, "id: SO1", after=line(path, "id: SO1"))
    third = line(path, "id: SO1", after=second)
    assert check_plant_file(path) == [
        f"{path}: people[3].id: duplicate id 'SO1' (already used by people[1]) (line {second})",
        f"{path}: people[4].id: duplicate id 'SO1' (already used by people[1]) (line {third})",
    ]

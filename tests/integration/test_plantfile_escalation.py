"""plant.yaml's escalation as a plain ladder or as `{ladder: [...], email: false}`: both load,
and every error names the key as written, with its line."""

from __future__ import annotations

from pathlib import Path

from core.plant import Role
from storage.plantfile import check_plant_file, load_plant
from tests.integration.test_plantfile import broken, line, write

LADDER = [{"role": "department_head", "window": "4h"}, {"role": "safety_manager"}]


def test_the_plain_ladder_sends_escalations_to_every_channel_by_default(tmp_path: Path) -> None:
    plant = load_plant(write(tmp_path, broken(escalation=LADDER)))
    assert [rung.role for rung in plant.escalation] == [Role.DEPARTMENT_HEAD, Role.SAFETY_MANAGER]
    assert plant.escalation_everywhere is True


def test_the_long_form_holds_the_ladder_and_turns_escalation_mail_off(tmp_path: Path) -> None:
    plant = load_plant(write(tmp_path, broken(escalation={"ladder": LADDER, "email": False})))
    assert [rung.window for rung in plant.escalation] == ["4h", None]
    assert plant.escalation_everywhere is False


def test_the_long_form_without_a_ladder_keeps_the_default_ladder(tmp_path: Path) -> None:
    plant = load_plant(write(tmp_path, broken(escalation={"email": True})))
    assert [rung.role for rung in plant.escalation] == [Role.DEPARTMENT_HEAD, Role.SAFETY_MANAGER]


def test_errors_in_the_long_form_name_the_keys_as_written_with_their_lines(
    tmp_path: Path,
) -> None:
    ladder = [{"role": "department_head", "window": "0m"}, {"role": "boss"}]
    path = write(tmp_path, broken(escalation={"email": "perhaps", "mails": True,
                                              "ladder": ladder}))
    errors = check_plant_file(path)
    assert errors[0] == (f"{path}: escalation.email: expected true or false, got 'perhaps' "
                         f"(line {line(path, 'email: perhaps')})")
    assert errors[1] == (f"{path}: escalation.mails: unknown key 'mails' (allowed: ladder, email) "
                         f"(line {line(path, 'mails: true')})")
    assert errors[2].startswith(f"{path}: escalation.ladder[1].role: not allowed: 'boss'")
    assert errors[2].endswith(f"(line {line(path, 'role: boss')})")
    assert len(errors) == 3


def test_a_cross_check_of_the_long_forms_ladder_points_into_the_ladder(tmp_path: Path) -> None:
    ladder = [{"role": "department_head", "window": "0m"}, {"role": "safety_manager"}]
    path = write(tmp_path, broken(escalation={"ladder": ladder}))
    assert check_plant_file(path) == [
        f"{path}: escalation.ladder[0].window: must be longer than zero, got '0m' "
        f"(line {line(path, 'window: 0m')})"
    ]


def test_the_field_behind_email_is_not_a_key_of_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, broken(escalation_everywhere=False))
    [error] = check_plant_file(path)
    assert error.startswith(f"{path}: escalation_everywhere: unknown key")

"""plant.yaml's `reminders` and a person's `digest`: the demo's settings, and `config check`
naming a bad share, span or time by its path and line."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from core.reminder_settings import QuietHours
from tests.chat import DEMO_PLANT
from tests.databases import plant_from
from tests.integration.test_plantfile import line

QUIET, DIGEST = 'quiet_hours: "22:00 until 07:00"', 'digest_at: "8h"'


def edited_demo(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = DEMO_PLANT.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "plant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def config_check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["config", "check", str(path)])
    return code, capsys.readouterr().err.splitlines()


def test_the_demo_plant_keeps_quiet_nights_and_gives_the_equipment_head_a_digest() -> None:
    plant = plant_from(DEMO_PLANT)
    reminders = plant.reminders
    assert (reminders.share, reminders.repeat_every) == (0.75, timedelta(hours=24))
    assert reminders.quiet == QuietHours(time(22), time(7))
    assert reminders.digest_time == time(8)
    assert [p.id for p in plant.people if p.digest] == ["DH-EQUIP"]


def test_config_check_names_a_bad_share_span_and_time_with_their_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(
        tmp_path, ("  at: 75%", "  at: 100%"),
        ('quiet_hours: "22:00-07:00"', QUIET), ('digest_at: "08:00"', DIGEST),
    )
    code, errors = config_check(path, capsys)
    assert code == 1
    assert errors == [
        f"{path}: reminders.at: must be more than 0% and less than 100%, got '100%' "
        f"(line {line(path, 'at: 100%')})",
        f"{path}: reminders.quiet_hours: not a span of the day: '22:00 until 07:00' (write "
        f"e.g. 22:00-07:00) (line {line(path, QUIET)})",
        f"{path}: reminders.digest_at: not a time of day: '8h' (write HH:MM, e.g. 08:00) "
        f"(line {line(path, DIGEST)})",
    ]


def test_an_unquoted_time_yaml_read_as_a_number_is_shown_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ('digest_at: "08:00"', "digest_at: 18:30"))
    code, errors = config_check(path, capsys)
    assert (code, errors) == (1, [
        f'{path}: reminders.digest_at: YAML reads 18:30 without quotes as a number: write '
        f'"18:30" (line {line(path, "digest_at: 18:30")})'
    ])


def test_an_unknown_key_in_the_section_is_named_with_a_suggestion(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ("  repeat: 24h", "  repeats: 24h"))
    code, errors = config_check(path, capsys)
    assert code == 1
    assert errors == [f"{path}: reminders.repeats: unknown key 'repeats' (did you mean "
                      f"'repeat'?) (line {line(path, 'repeats: 24h')})"]


def test_a_share_outside_the_window_below_zero_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(tmp_path, ("  at: 75%", "  at: 0%"))
    code, errors = config_check(path, capsys)
    assert code == 1 and [e.split(": ")[1] for e in errors] == ["reminders.at"]

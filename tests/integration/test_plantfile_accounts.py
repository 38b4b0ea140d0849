"""Chat accounts in plant.yaml: each channel declares its keys, the loader files them by channel."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.plantfile import channel_keys, check_plant, read_plant
from core.plant import AccountKey, ChannelKeys
from storage.plantfile import check_plant_file, load_plant

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


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "plant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def line(path: Path, snippet: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if snippet in text)


def minimal(**person: object) -> dict[str, Any]:
    """The minimal plant with `person`'s keys added to its first person."""
    data = copy.deepcopy(MINIMAL)
    data["people"][0].update(person)
    return data


def errors_of(path: Path) -> list[str]:
    return [error.removeprefix(f"{path}: ") for error in check_plant(path)]


def test_each_channel_declares_its_plant_yaml_keys() -> None:
    assert {keys.channel: keys for keys in channel_keys()} == {
        "telegram": ChannelKeys(
            "telegram", person=AccountKey("telegram_id", whole_number=True),
            team=AccountKey("telegram_chat_id", whole_number=True),
        ),
        "wecom": ChannelKeys(
            "wecom", person=AccountKey("wecom_id"), team=AccountKey("wecom_chat_id"),
        ),
        "email": ChannelKeys("email", person=AccountKey("email"), mailbox=True),
    }


def test_todays_plant_yaml_keys_become_accounts_and_group_chats_by_channel() -> None:
    demo = read_plant(DEMO)
    assert demo.people_by_id["SM"].accounts == {
        "telegram": "100000001", "wecom": "wangjianguo", "email": "wang.jianguo@example.com"}
    assert demo.teams_by_id["ELEC"].chats == {"telegram": "-1001000000001", "wecom": "wrELEC"}
    assert check_plant(DEMO) == []


def test_every_demo_person_has_an_email_under_example_com() -> None:
    demo = read_plant(DEMO)
    emails = [p.email for p in demo.people]
    assert all(e and e.endswith("@example.com") for e in emails), emails
    assert len(set(emails)) == len(emails)
    assert demo.people_by_id["SM"].email == "wang.jianguo@example.com"


def test_accounts_may_also_be_written_as_a_map_by_channel(tmp_path: Path) -> None:
    data = minimal(accounts={"telegram": 42, "wecom": "wangjianguo"})
    data["teams"][0]["chats"] = {"wecom": "wrMECH"}
    plant = read_plant(write(tmp_path, data))
    assert plant.people_by_id["SM"].accounts == {"telegram": "42", "wecom": "wangjianguo"}
    assert plant.teams_by_id["MECH"].chats == {"wecom": "wrMECH"}


def test_a_person_without_accounts_has_an_empty_map(tmp_path: Path) -> None:
    plant = read_plant(write(tmp_path, minimal(telegram_id=None, wecom_id="")))
    assert plant.people_by_id["SM"].accounts == {}
    assert plant.people_by_id["SO1"].accounts == {}


def test_accounts_cannot_be_changed_after_loading() -> None:
    person = read_plant(DEMO).people_by_id["SM"]
    with pytest.raises(TypeError):
        person.accounts["telegram"] = "1"  # type: ignore[index]
    assert hash(person) == hash(person)


def test_a_bad_value_is_reported_at_the_key_as_written_with_its_line(tmp_path: Path) -> None:
    data = minimal(telegram_id="abc", wecom_id=123)
    data["teams"][0]["telegram_chat_id"] = "group"
    path = write(tmp_path, data)
    assert errors_of(path) == [
        f"teams[0].telegram_chat_id: expected a whole number, got 'group' "
        f"(line {line(path, 'telegram_chat_id')})",
        "people[0].telegram_id: expected a whole number, got 'abc' "
        f"(line {line(path, 'telegram_id')})",
        "people[0].wecom_id: expected text, got the number 123 (put it in quotes) "
        f"(line {line(path, 'wecom_id')})",
    ]


def test_a_bad_value_in_the_map_form_is_reported_at_the_channel(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(accounts={"telegram": "abc", "fax": "1"}))
    assert errors_of(path) == [
        "people[0].accounts.telegram: expected a whole number, got 'abc' "
        f"(line {line(path, 'telegram:')})",
        "people[0].accounts.fax: unknown channel 'fax' (channels: telegram, wecom, email) "
        f"(line {line(path, 'fax')})",
    ]


def test_an_account_written_both_ways_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(telegram_id=1, accounts={"telegram": 2}))
    assert errors_of(path) == [
        "people[0].accounts.telegram: also given as telegram_id; write it once "
        f"(line {line(path, 'telegram: 2')})",
    ]


def test_a_misspelt_channel_key_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(wecom_di="wangjianguo"))
    assert errors_of(path) == [
        "people[0].wecom_di: unknown key 'wecom_di' (did you mean 'wecom_id'?) "
        f"(line {line(path, 'wecom_di')})",
    ]


def test_without_the_channels_their_keys_are_unknown(tmp_path: Path) -> None:
    path = write(tmp_path, minimal(telegram_id=1))
    assert [e.removeprefix(f"{path}: ") for e in check_plant_file(path)] == [
        "people[0].telegram_id: unknown key 'telegram_id' (allowed: id, name, roles, "
        "department, team, phone, email, superior, lang, digest, accounts) "
        f"(line {line(path, 'telegram_id')})",
    ]
    assert load_plant(path, channels=channel_keys()).people_by_id["SM"].accounts == {
        "telegram": "1"}


def test_a_channel_key_that_is_also_a_field_stays_on_the_person_and_is_checked_once(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, minimal(email=123))
    assert errors_of(path) == [
        "people[0].email: expected text, got the number 123 (put it in quotes) "
        f"(line {line(path, 'email')})",
    ]
    person = read_plant(write(tmp_path, minimal(email="wang.jianguo@example.com"))).people[0]
    assert person.email == person.accounts["email"] == "wang.jianguo@example.com"

"""Trend warnings in chat: the nightly scan tells the safety manager once, `/warnings` lists
them for those allowed, and the plan button (safety manager only, replay safe, across a
restart) adds a special plan the next round generation turns into two rounds a day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.rounds import day_start, plant_day
from core.trends import plan_id
from tests.chat import DEMO_PLANT, Chat, msg
from tests.databases import plant_from
from tests.trend_data import LEAK_EN, LEAK_ZH, leak_story, store, with_leaks

ZH, EN = "zh-CN", "en"
PLAN = plan_id("CNC-07", "coolant_leak")


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path, plant=with_leaks(plant_from(DEMO_PLANT)), rounds=True)
    store(chat.app.engine, *leak_story(chat.plant, chat.clock.now()))
    yield chat
    chat.close()


def warning_id(chat: Chat) -> int:
    with chat.app.services.uow() as uow:
        [warning] = uow.trends.latest()
    assert warning.id is not None
    return warning.id


def card(lang: str, text: str) -> str:
    return msg(lang, "trends.card", message=text, equipment="CNC-07", times=2)


def test_the_scan_tells_the_safety_manager_once_with_the_plan_button(chat: Chat) -> None:
    said = chat.run("SM", "!wait 1m")
    assert said.text("SM") == card(ZH, LEAK_ZH) + "\n[1] 添加专项点检计划"
    assert said.of("W01") == []
    later = chat.run("SM", "!wait 2d")  # two more nights, the same seven leaks: not again
    assert not any("趋势预警" in line for line in later.of("SM"))


def test_warnings_lists_for_safety_staff_and_heads_and_refuses_a_worker(chat: Chat) -> None:
    chat.run("SM", "!wait 1m")
    line = msg(ZH, "trends.line", n=1, message=LEAK_ZH)
    listed = msg(ZH, "trends.list", day="2026-11-30", days=90, lines=line)
    assert chat.run("SM", "/warnings").text("SM") == listed + "\n[1] 添加专项点检计划"
    assert chat.run("DH-EQUIP", "/warnings").text("DH-EQUIP") == listed  # no button
    assert chat.run("W01", "/warnings").text("W01") == msg(ZH, "trends.not_allowed")
    chat.run("SM", "/lang en")
    english = msg(EN, "trends.line", n=1, message=LEAK_EN)
    assert chat.run("SM", "/warnings").text("SM") == msg(
        EN, "trends.list", day="2026-11-30", days=90, lines=english) + (
        "\n[1] Add a special inspection plan")


def test_the_plan_button_is_the_safety_managers_and_a_replay_adds_nothing(chat: Chat) -> None:
    chat.run("SM", "!wait 1m")
    forged = f"!button tw:{warning_id(chat)}"
    assert chat.run("W01", forged).text("W01") == msg(ZH, "trends.plan.not_allowed")
    assert chat.run("SO1", forged).text("SO1") == msg(ZH, "trends.plan.not_allowed")
    assert chat.run("SM", "!button tw:9999").of("SM") == [msg(ZH, "button.stale")]
    with chat.app.services.uow() as uow:
        assert uow.trends.added_plans() == ()  # nothing the refusals could have added
    added = chat.run("SM", "!press 1").text("SM")
    assert added == msg(ZH, "trends.plan.added", plan="CNC-07 冷却液泄漏", area="机加工车间",
                        times="08:00-10:00、14:00-16:00")
    chat = chat.restart()  # a replay after a restart finds the plan there
    assert chat.run("SM", forged).text("SM") == msg(
        ZH, "trends.plan.exists", plan="CNC-07 冷却液泄漏")
    with chat.app.services.uow() as uow:
        [plan] = uow.trends.added_plans()
    assert (plan.id, plan.area, plan.times) == (PLAN, "MACH", ("08:00-10:00", "14:00-16:00"))
    chat.close()


def test_the_next_generation_gives_the_machine_two_rounds_a_day(chat: Chat) -> None:
    chat.run("SM", "!wait 1m", "!press 1", "!wait 1d")
    tomorrow = plant_day(chat.plant, chat.clock.now())
    with chat.app.services.uow() as uow:
        rounds = [r for r in uow.rounds.between(day_start(chat.plant, tomorrow),
                                                day_start(chat.plant, tomorrow + timedelta(1)))
                  if r.plan == PLAN]
    zone = ZoneInfo(chat.plant.timezone)
    windows = sorted((f"{r.opens_at.astimezone(zone):%H:%M}",
                      f"{r.closes_at.astimezone(zone):%H:%M}") for r in rounds)
    assert windows == [("08:00", "10:00"), ("14:00", "16:00")]
    assert {(r.area, r.assignee) for r in rounds} == {("MACH", "SO1")}

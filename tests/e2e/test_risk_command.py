"""/risk: anyone reads the risk register of an area (class, risk points, level, D, measures)
or the list of areas, in their own language; an unknown area gets a polite refusal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.plant import Area, RiskClass
from tests.chat import DEMO_PLANT, Chat, msg
from tests.databases import plant_from


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def test_a_worker_reads_an_areas_risk_points_highest_first_in_chinese(chat: Chat) -> None:
    text = chat.run("W01", "/risk stamp").text("W01")
    assert text.startswith("🛡 冲压车间（STAMP）：A 类区域（按最高风险点评定）\n")
    heads = [line for line in text.splitlines() if line and line[0] in "🔴🟠🟡🔵"]
    assert heads == [
        "🟠 STAMP-R1 冲床滑块下行时手部进入模区被挤压",
        "🟡 STAMP-R3 卷料吊运时脱钩坠落砸伤",
        "🔵 STAMP-R2 换模调模时滑块意外下落",
    ]
    assert "较大风险 · D = 210（L 3 × E 10 × C 7）" in text
    assert "低风险 · D = 45（L 1 × E 3 × C 15）" in text
    assert "  ✅ 换模前执行上锁挂牌（LOTO）" in text
    assert text.count("✅") == 8  # every measure of the three points


def test_an_english_reader_finds_an_area_by_its_english_name_in_any_case(chat: Chat) -> None:
    text = chat.run("W02", "/risk welding SHOP").text("W02")
    assert text.startswith("🛡 Welding shop (WELD): class A (from its highest risk point)\n")
    assert ("🟠 WELD-R3 Oxygen, acetylene or CO2 cylinders leaking, fire and explosion\n"
            "Significant risk · D = 240 (L 1 × E 6 × C 40)\n"
            "  ✅ Cylinders upright and chained; oxygen at least 5 m from acetylene") in text
    assert "Moderate risk · D = 126 (L 3 × E 6 × C 7)" in text
    assert "焊" not in text


def test_the_equipment_a_risk_sits_on_and_a_decimal_d_are_shown(chat: Chat) -> None:
    text = chat.run("W02", "/risk MACH").text("W02")
    assert "Moderate risk · D = 90 (L 1 × E 6 × C 15) · equipment CNC-12" in text
    assert "Low risk · D = 22.5 (L 0.5 × E 3 × C 15)" in chat.run("W02", "/risk 仓库").text("W02")


def test_risk_alone_lists_every_area_with_its_class_and_highest_colour(chat: Chat) -> None:
    text = chat.run("W01", "/risk").text("W01")
    assert text.splitlines()[1:7] == [
        "🟠 A 类 · 冲压车间（STAMP）· 3 个风险点",
        "🟠 A 类 · 焊接车间（WELD）· 3 个风险点",
        "🟡 B 类 · 注塑车间（MOLD）· 3 个风险点",
        "🟡 B 类 · 机加工车间（MACH）· 3 个风险点",
        "🔵 C 类 · 装配车间（ASSY）· 3 个风险点",
        "🔵 C 类 · 仓库（WH）· 3 个风险点",
    ]
    english = chat.run("W02", "/risk").text("W02")
    assert "🔵 class C · Warehouse (WH) · 3 risk points" in english


def test_an_unknown_area_is_refused_politely_with_the_ids_to_choose_from(chat: Chat) -> None:
    ids = "STAMP, WELD, MOLD, MACH, ASSY, WH"
    assert chat.run("W01", "/risk 喷涂车间").of("W01") == [
        msg("zh-CN", "risk.unknown_area", wanted="喷涂车间", ids=ids)]
    assert chat.run("W02", "/risk paint").of("W02") == [
        f"There is no area “paint”. Areas you can ask about: {ids}"]
    long = "x" * 500
    assert chat.run("W02", f"/risk {long}").text("W02").count("x") == 30  # echoed, cut short
    # nothing started: the next line is an ordinary command again
    assert chat.run("W01", "/risk wh").text("W01").startswith("🛡 仓库（WH）")


def test_help_lists_risk_for_everyone_in_their_language(chat: Chat) -> None:
    assert msg("zh-CN", "help.risk") in chat.run("W01", "/help").text("W01")
    assert "/risk [AREA] risk register" in chat.run("W02", "/help").text("W02")


def test_a_hand_set_class_and_an_area_without_risk_points_read_as_such(tmp_path: Path) -> None:
    demo = plant_from(DEMO_PLANT)
    assy, wh = demo.areas_by_id["ASSY"], demo.areas_by_id["WH"]
    unassessed = Area(id=wh.id, name=wh.name, name_en=wh.name_en, type=wh.type)
    areas = (replace(assy, risk_class=RiskClass.B), unassessed)
    chat = Chat(tmp_path, plant=replace(demo, areas=areas))
    try:
        assert chat.run("W01", "/risk ASSY").text("W01").startswith(
            "🛡 装配车间（ASSY）：B 类区域（手工设定）")
        assert chat.run("W02", "/risk WH").text("W02") == (
            "🛡 Warehouse (WH): class C (from its highest risk point)\n\n"
            "No risk points are registered yet: a safety officer adds them in plant.yaml.")
        assert "⚪ class C · Warehouse (WH) · 0 risk points" in chat.run("W02", "/risk").text(
            "W02")
    finally:
        chat.close()

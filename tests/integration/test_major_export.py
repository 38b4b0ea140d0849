"""`safetyloop major export`: the register of major hazards, as JSON (a contract) and XLSX."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from bot.cli import main
from tests.chat import Chat, msg

ZH = "zh-CN"
MEASURES = "加装联锁防护罩，更换破损护板"
EMERGENCY = "停机挂牌，设警戒区，专人监护"
# The shape scripts read (README, "Major hazards"): it may grow, never lose a key.
RECORD_KEYS = {
    "code", "status", "found_at", "area", "equipment", "description", "graded_at",
    "graded_by", "plan", "closed_at", "accepted_by",
}
PLAN_KEYS = {
    "responsible", "measures", "funds_yuan", "deadline", "emergency_plan", "entered_by",
    "entered_at",
}


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Chat, str, str]]:
    """One major hazard planned, fixed and accepted; a second graded with no plan yet; an
    ordinary ticket that the register must leave out."""
    chat = Chat(tmp_path_factory.mktemp("register"))
    closed = chat.report().code
    chat.run("SM", f"/major {closed}", f"/plan {closed}", "TL-MECH", MEASURES, "12.5万",
             "2026-12-31", EMERGENCY, "!press 1")
    after = chat.photo("after.jpg", (40, 200, 40))
    chat.run("TL-MECH", f"!button t:accept:{closed}", f"!button t:start:{closed}",
             f"!button t:done:{closed}", f"!photo {after}")
    chat.run("SM", f"!button t:close:{closed}")
    waiting = chat.report("W02", equipment="none", colour=(40, 40, 200)).code
    chat.run("SM", f"/major {waiting}")
    chat.report("W01", colour=(200, 200, 40))  # not graded
    yield chat, closed, waiting
    chat.close()


def export(chat: Chat, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["major", "export", *args, "--database", chat.settings.database_url,
                 "--config", str(chat.settings.plant_file)])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def test_the_json_register_lists_each_major_hazard_with_its_plan(
    register: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    chat, closed, waiting = register
    status, out = export(chat, capsys, "--format", "json")
    assert status == 0
    records = json.loads(out)
    assert [r["code"] for r in records] == [closed, waiting]  # in the order graded
    assert all(set(r) == RECORD_KEYS for r in records)
    first, second = records
    assert set(first["plan"]) == PLAN_KEYS
    assert first["plan"] | {"entered_at": None} == {
        "responsible": "TL-MECH", "measures": MEASURES, "funds_yuan": "125000.00",
        "deadline": "2026-12-31", "emergency_plan": EMERGENCY, "entered_by": "SM",
        "entered_at": None,
    }
    assert (first["status"], first["graded_by"], first["accepted_by"]) == ("closed", "SM", "SM")
    assert (first["area"], first["equipment"]) == ("MACH", "CNC-07")
    for instant in (first["found_at"], first["graded_at"], first["closed_at"],
                    first["plan"]["entered_at"]):
        assert datetime.fromisoformat(instant).utcoffset() is not None
        assert instant.endswith("+08:00")
    assert (second["plan"], second["closed_at"], second["accepted_by"]) == (None, None, None)
    assert (second["status"], second["equipment"]) == ("reported", None)


def test_the_json_register_goes_to_a_file_with_output(
    register: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    chat, closed, _ = register
    target = tmp_path / "register.json"
    status, out = export(chat, capsys, "--output", str(target))
    assert status == 0 and out == f"wrote {target}: 2 major hazards\n"
    assert json.loads(target.read_text(encoding="utf-8"))[0]["code"] == closed


def test_the_xlsx_register_reads_back_with_every_element_in_the_plants_language(
    register: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    chat, closed, waiting = register
    target = tmp_path / "重大隐患.xlsx"
    status, out = export(chat, capsys, "--format", "xlsx", "--output", str(target))
    assert status == 0 and out == f"wrote {target}: 2 major hazards\n"

    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert sheet.title == msg(ZH, "export.sheet.major")
    title = str(sheet.cell(1, 1).value)
    assert title.startswith("苏州恒锐精密机械有限公司 · 重大事故隐患台账 · 共 2 项")
    headers = [cell.value for cell in sheet[2]]
    assert headers == [msg(ZH, f"export.col.{key}") for key in (
        "code", "found_at", "area", "equipment", "description", "graded_at", "graded_by",
        "responsible", "measures", "funds", "deadline", "emergency_plan", "status", "closed_at",
        "accepted_by")]
    rows = {row[0]: dict(zip(headers, row, strict=True))
            for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {closed, waiting}
    done = rows[closed]
    assert (done["区域"], done["定级人"], done["责任人"], done["验收人"]) == (
        "机加工车间", "王建国 (SM)", "周杰 (TL-MECH)", "王建国 (SM)")
    assert (done["整改措施"], done["应急预案"], done["整改时限"]) == (
        MEASURES, EMERGENCY, "2026-12-31")
    assert done["整改资金（元）"] == 125000
    assert done["状态"] == msg(ZH, "status.closed")
    assert isinstance(done["定级时间"], datetime) and isinstance(done["销号时间"], datetime)
    assert rows[waiting]["责任人"] == msg(ZH, "export.no_plan")
    assert rows[waiting]["验收人"] is None


def test_an_empty_register_is_an_empty_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    chat = Chat(tmp_path)
    try:
        chat.report()
        status, out = export(chat, capsys)
    finally:
        chat.close()
    assert (status, json.loads(out)) == (0, [])

"""`safetyloop tickets export` (JSON, CSV, a printable XLSX ledger) and `audit show`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import Engine

from bot.cli import main
from storage.uow import SqlUnitOfWork
from tests.chat import DEMO_PLANT, Chat, msg

# The keys every JSON export has carried: scripts read them, so they stay.
JSON_KEYS = {
    "code", "status", "reporter", "area", "equipment", "category", "severity", "urgency",
    "description", "assignee_team", "escalation_level", "validity", "points", "location",
    "photos", "after_photo", "due_at", "created_at", "acknowledged_at", "started_at",
    "resolved_at", "closed_at", "rejected_at", "reason", "duplicate_of",
}
DESCRIPTION = "主轴防护罩破损，铁屑飞溅"
SUZHOU = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


@pytest.fixture(scope="module")
def worked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Chat, str, str]]:
    """One ticket judged valid, accepted and started on day one; a second the next day.

    Shared by the tests that only read it, since filing reports is the slow part.
    """
    chat = Chat(tmp_path_factory.mktemp("worked"))
    first = chat.report().code
    for person in ("SO1", "TL-MECH", "TL-MECH"):
        chat.clock.advance(timedelta(minutes=10))
        chat.run(person, "!press 1")
    chat.clock.advance(timedelta(days=1))
    second = chat.report("W02", colour=(40, 40, 200)).code
    yield chat, first, second
    chat.close()


def cli(chat: Chat, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--database", chat.settings.database_url,
                 "--config", str(chat.settings.plant_file)])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_export_keeps_its_keys_and_can_be_written_to_a_file(
    worked: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    chat, first, second = worked
    _, printed, _ = cli(chat, capsys, "tickets", "export", "--format", "json")
    records = json.loads(printed)
    assert [r["code"] for r in records] == [first, second]
    assert all(set(record) >= JSON_KEYS for record in records)
    assert records[0]["location"] == {"lat": 31.3172, "lon": 120.7208, "source": "message"}
    assert records[0]["created_at"] == "2026-11-30T09:00:00+08:00"

    code, out, _ = cli(chat, capsys, "tickets", "export", "--out", str(tmp_path / "t.json"))
    assert code == 0 and "[" not in out
    assert json.loads((tmp_path / "t.json").read_text(encoding="utf-8")) == records


def test_the_csv_export_has_every_ticket_with_its_chinese_intact_for_excel(
    worked: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    chat, first, second = worked
    code, printed, _ = cli(chat, capsys, "tickets", "export", "--format", "csv")
    assert code == 0 and printed.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(printed.removeprefix("\ufeff"))))
    assert [row["code"] for row in rows] == [first, second]
    assert rows[0]["description"] == DESCRIPTION
    assert rows[0]["reporter"] == "W01" and rows[0]["validity"] == "valid"
    assert (rows[0]["location_lat"], rows[0]["location_source"]) == ("31.3172", "message")
    assert len(rows[0]["photos"]) >= 12 and "location" not in rows[0]

    cli(chat, capsys, "tickets", "export", "--format", "csv", "--out", str(tmp_path / "t.csv"))
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))) == rows


def test_the_xlsx_ledger_lists_every_ticket_by_name_laid_out_for_printing(
    worked: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    chat, first, second = worked
    out = tmp_path / "ledger.xlsx"
    code, said, _ = cli(chat, capsys, "tickets", "export", "--format", "xlsx", "--out", str(out))
    assert code == 0 and str(out) in said
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [msg("zh-CN", "export.sheet.tickets"),
                               msg("zh-CN", "export.sheet.trail")]
    sheet = book.worksheets[0]
    title = str(sheet["A1"].value)
    assert chat.plant.name in title and "UTC+08:00" in title
    header = [cell.value for cell in sheet[2]]
    assert header[:2] == ["编号", "状态"] and "描述" in header and "上报人" in header
    assert all(cell.font.b for cell in sheet[2])
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(3)]
    assert [row["编号"] for row in rows] == [first, second]
    assert rows[0]["上报人"] == "马晓东 (W01)" and rows[0]["描述"] == DESCRIPTION
    assert rows[0]["区域"] == "机加工车间" and rows[0]["责任班组"] == "机械维修班"
    assert rows[0]["状态"] == "处理中" and rows[0]["核实"] == "有效"
    # Excel keeps no zone: the cell holds Suzhou wall time.
    assert str(rows[0]["上报时间"]) == "2026-11-30 09:00:00"
    description = header.index("描述") + 1
    assert sheet.cell(3, description).alignment.wrap_text
    assert sheet.column_dimensions["H"].width >= 30
    assert sheet.freeze_panes == "B3"
    assert sheet.print_title_rows is not None and "2" in sheet.print_title_rows
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_the_xlsx_trail_sheet_lists_each_tickets_audit_entries_in_order(
    worked: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    chat, first, second = worked
    out = tmp_path / "ledger.xlsx"
    cli(chat, capsys, "tickets", "export", "--format", "xlsx", "--out", str(out))
    trail = openpyxl.load_workbook(out).worksheets[1]
    assert [cell.value for cell in trail[2]] == ["编号", "时间", "操作人", "操作", "详情"]
    rows = [[c.value for c in row] for row in trail.iter_rows(3)]
    mine = [row for row in rows if row[0] == first]
    # 12: 10 for a serious report, 2 for its equipment and location (points.bonus)
    assert [row[3] for row in mine] == ["上报隐患", "核实为有效", "积分 +12", "接收", "开始处理"]
    assert [row[2] for row in mine][:2] == ["马晓东 (W01)", "李娜 (SO1)"]
    assert [row[1] for row in mine] == sorted(row[1] for row in mine)
    assert str(mine[0][1]) == "2026-11-30 09:00:00"
    assert "action=valid" in str(mine[1][4])
    assert [row[0] for row in rows if row[0] != first] == [second]
    assert trail.print_title_rows is not None and "2" in trail.print_title_rows
    assert trail.page_setup.orientation == "landscape"
    assert trail.page_setup.fitToWidth == 1


def test_the_xlsx_ledger_speaks_english_for_an_english_plant(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    plant_file = tmp_path / "plant.yaml"
    text = DEMO_PLANT.read_text(encoding="utf-8")
    plant_file.write_text(text.replace("language: zh-CN", "language: en", 1), encoding="utf-8")
    chat = Chat(tmp_path, plant_file=plant_file)
    try:
        code = chat.report().code
        out = tmp_path / "ledger.xlsx"
        cli(chat, capsys, "tickets", "export", "--format", "xlsx", "--out", str(out))
    finally:
        chat.close()
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Tickets", "Trail"]
    header = [cell.value for cell in book.worksheets[0][2]]
    assert header[:2] == ["Code", "Status"] and "Reporter" in header
    assert book.worksheets[0]["A3"].value == code
    assert book.worksheets[1]["D3"].value == "reported"


def test_an_xlsx_export_without_out_is_saved_under_todays_date_in_the_current_folder(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat.report()
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    code, said, _ = cli(chat, capsys, "tickets", "export", "--format", "xlsx")
    [made] = list(folder.iterdir())
    assert code == 0 and made.name in said
    assert made.name == f"tickets-{datetime.now(UTC).astimezone(SUZHOU):%Y%m%d}.xlsx"
    assert openpyxl.load_workbook(made).worksheets[0]["A3"].value == chat.ticket().code


def test_audit_show_for_one_ticket_prints_only_its_entries_in_words(
    worked: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    chat, first, second = worked
    code, out, _ = cli(chat, capsys, "audit", "show", "--ticket", first.lower())
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert all(first in line and second not in line for line in lines)
    assert lines[0].startswith("2026-11-30T09:00:00+08:00")
    assert "李娜 (SO1)" in lines[1] and "核实为有效" in lines[1]
    assert "action=valid" in lines[1] and "status=reported" in lines[1]
    _, everything, _ = cli(chat, capsys, "audit", "show")
    assert second in everything and len(everything.splitlines()) > len(lines)


def test_audit_show_since_a_date_or_an_instant_leaves_out_earlier_entries(
    worked: tuple[Chat, str, str], capsys: pytest.CaptureFixture[str],
) -> None:
    chat, first, second = worked
    _, next_day, _ = cli(chat, capsys, "audit", "show", "--since", "2026-12-01")
    assert second in next_day and first not in next_day
    _, later, _ = cli(chat, capsys, "audit", "show", "--since", "2026-11-30T09:15:00+08:00")
    mine = [line for line in later.splitlines() if first in line]
    assert len(mine) == 2 and "接收" in mine[0] and "开始处理" in mine[1]
    _, naive, _ = cli(chat, capsys, "audit", "show", "--ticket", first,
                      "--since", "2026-11-30T09:25")
    assert len(naive.splitlines()) == 1 and "开始处理" in naive


def test_audit_show_refuses_a_since_it_cannot_read(
    chat: Chat, capsys: pytest.CaptureFixture[str],
) -> None:
    chat.report()
    code, out, err = cli(chat, capsys, "audit", "show", "--since", "last week")
    assert code == 2 and out == ""
    assert "--since" in err and "YYYY-MM-DD" in err


def test_the_audit_log_finds_entries_by_subject_and_time_in_sql(engine: Engine) -> None:
    start = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    with SqlUnitOfWork(engine) as uow:
        for minutes, subject in ((0, "HZ-1"), (10, "HZ-2"), (20, "HZ-1"), (30, "HZ-1")):
            uow.audit.append(at=start + timedelta(minutes=minutes), actor="SO1",
                             action="TicketActed", subject=subject, data={"n": minutes})
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        mine = [e.data["n"] for e in uow.audit.find(subject="HZ-1")]
        late = [e.data["n"] for e in uow.audit.find(since=start + timedelta(minutes=10))]
        both = [e.data["n"] for e in uow.audit.find(
            subject="HZ-1", since=(start + timedelta(minutes=15)).astimezone(SUZHOU))]
        everything = [e.seq for e in uow.audit.entries()]
    assert (mine, late, both) == ([0, 20, 30], [10, 20, 30], [20, 30])
    assert everything == [1, 2, 3, 4]

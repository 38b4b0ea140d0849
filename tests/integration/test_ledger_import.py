"""`safetyloop import tickets FILE`: a plant's historical hazard ledger becomes tickets."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.cli import main, parser
from bot.import_cli import Progress, run_import
from tests.chat import Chat, msg

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENGLISH = ["code", "reported_at", "reporter", "area", "equipment", "category", "severity",
           "team", "acknowledged_at", "resolved_at", "closed_at", "status", "description",
           "valid"]


def row(**cells: str) -> list[str]:
    base = {"reported_at": "2025-03-02 08:10", "reporter": "W01", "area": "MACH",
            "category": "mechanical", "severity": "serious", "description": "冷却液泄漏"}
    values = base | cells
    return [values.get(name, "") for name in ENGLISH]


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = ENGLISH) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


# One good row, then one row for each reason of rejection, in file order (rows 2..).
BROKEN = [
    row(description="good: 主轴防护罩松动"),
    row(reported_at="2025-02-30 08:00"),
    row(area="喷漆间"),
    row(category="noise"),
    row(severity="medium"),
    row(acknowledged_at="2025-03-02 07:00"),
    row(valid="maybe"),
    row(equipment="CNC-99"),
    row(team="PAINTERS"),
    row(status="half done"),
    row(status="closed"),
    row(reporter=""),
    row(description="good: 主轴防护罩松动"),
]
REASONS = {
    3: ("import.reason.bad_time", {"column": "reported_at/上报时间", "value": "2025-02-30 08:00"}),
    4: ("import.reason.unknown_area", {"value": "喷漆间",
                                       "known": "STAMP, WELD, MOLD, MACH, ASSY, WH"}),
    5: ("import.reason.unknown_category", {
        "value": "noise", "known": "electrical, mechanical, fire, chemical, housekeeping, other"}),
    6: ("import.reason.bad_severity", {"value": "medium"}),
    7: ("import.reason.out_of_order", {"column": "acknowledged_at/接收时间",
                                       "before": "reported_at/上报时间"}),
    8: ("import.reason.bad_valid", {"value": "maybe"}),
    9: ("import.reason.unknown_equipment", {"value": "CNC-99"}),
    10: ("import.reason.unknown_team", {"value": "PAINTERS", "known": "ELEC, MECH"}),
    11: ("import.reason.bad_status", {"value": "half done"}),
    12: ("import.reason.status_needs", {"status": "closed", "column": "closed_at/验收关闭时间"}),
    13: ("import.reason.empty", {"column": "reporter/上报人"}),
    14: ("import.reason.same_as_row", {"row": 2}),
}


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def excel(*parts: int) -> datetime:
    """A date cell as Excel keeps it: wall time, no zone."""
    return datetime(*parts, tzinfo=SHANGHAI).replace(tzinfo=None)


def cli(chat: Chat, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--database", chat.settings.database_url,
                 "--config", str(chat.settings.plant_file)])
    out, err = capsys.readouterr()
    return code, out, err


def imports_logged(chat: Chat) -> list[dict[str, object]]:
    with chat.app.services.uow() as uow:
        return [e.data for e in uow.audit.entries() if e.action == "FileImported"]


def test_a_broken_file_lists_every_reason_by_row_and_imports_nothing(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv", BROKEN)
    code, out, err = cli(chat, capsys, "import", "tickets", str(path), "--lang", "en")
    assert code == 1
    listed = [line.strip() for line in err.splitlines() if line.startswith("  row ")]
    assert listed == [msg("en", "import.row", row=number, reasons=msg("en", key, **values))
                      for number, (key, values) in REASONS.items()]
    assert msg("en", "import.nothing_written") in err
    assert msg("en", "import.summary.tickets", imported=0, already=0, rejected=12,
               unknown=0) in out
    assert chat.records() == [] and imports_logged(chat) == []


def test_a_file_without_a_required_column_is_refused_whole(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    header = [name for name in ENGLISH if name != "severity"]
    path = write_csv(tmp_path / "ledger.csv", [r[:6] + r[7:] for r in BROKEN[:1]], header)
    code, _, err = cli(chat, capsys, "import", "tickets", str(path), "--lang", "en")
    assert code == 1
    assert msg("en", "import.file.missing_columns", columns="severity/隐患等级") in err
    assert chat.records() == []


def test_skip_invalid_imports_the_good_rows_and_importing_again_adds_nothing(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv", BROKEN)
    code, out, _ = cli(chat, capsys, "import", "tickets", str(path), "--skip-invalid",
                       "--lang", "en")
    assert code == 0
    assert msg("en", "import.summary.tickets", imported=1, already=0, rejected=12,
               unknown=0) in out
    before = chat.records()
    assert [(r["code"], r["description"]) for r in before] == [
        ("HZ-250302-0001", "good: 主轴防护罩松动")]

    code, out, _ = cli(chat, capsys, "import", "tickets", str(path), "--skip-invalid",
                       "--lang", "en")
    assert code == 0
    assert msg("en", "import.summary.tickets", imported=0, already=1, rejected=12,
               unknown=0) in out
    assert chat.records() == before
    logged = imports_logged(chat)
    assert len(logged) == 1  # one entry for the file that changed something
    assert logged[0] | {"sha256": ""} == {
        "kind": "tickets", "file": "ledger.csv", "sha256": "", "imported": 1, "already": 0,
        "replaced": 0, "rejected": 12, "unknown_reporters": 0}
    assert logged[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_chinese_header_xlsx_under_a_title_with_date_cells_is_read_in_plant_time(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["2025年隐患排查治理台账"])
    sheet.append(["编号", "上报时间", "上报人", "区域", "设备编号", "隐患类别", "隐患等级",
                  "责任班组", "接收时间", "整改完成时间", "验收关闭时间", "状态", "隐患描述",
                  "是否有效"])
    sheet.append(["YH-2025-031", excel(2025, 3, 2, 8, 10), "马晓东", "机加工车间", "cnc-07",
                  "机械隐患", "严重", "电气维修班", excel(2025, 3, 2, 9, 0),
                  excel(2025, 3, 2, 15, 30), excel(2025, 3, 3, 10, 0), "已关闭",
                  "7号加工中心冷却液泄漏", "是"])
    sheet.append(["YH-2025-032", "2025-03-04 14:00", "W02", "STAMP", None, "fire", "一般", None,
                  None, None, None, None, "灭火器压力不足", "否"])
    book.save(tmp_path / "台账.xlsx")

    code, out, err = cli(chat, capsys, "import", "tickets", str(tmp_path / "台账.xlsx"))
    assert (code, err) == (0, "")
    assert msg("zh-CN", "import.summary.tickets", imported=2, already=0, rejected=0,
               unknown=0) in out
    first, second = chat.records()
    assert first | {"respond_by": None, "resolve_by": None} == first | {
        "code": "HZ-250302-0001", "status": "closed", "reporter": "W01", "area": "MACH",
        "equipment": "CNC-07", "category": "mechanical", "severity": "serious",
        "assignee_team": "ELEC", "validity": "valid", "points": 0, "due_at": None,
        "created_at": "2025-03-02T08:10:00+08:00",
        "acknowledged_at": "2025-03-02T09:00:00+08:00",
        "resolved_at": "2025-03-02T15:30:00+08:00", "closed_at": "2025-03-03T10:00:00+08:00",
        "respond_by": None, "resolve_by": None,
    }
    assert first["respond_by"] == "2025-03-02T12:10:00+08:00"  # 4 h of a serious report
    assert (second["status"], second["validity"], second["assignee_team"]) == (
        "rejected", "invalid", "MECH")  # not valid: rejected; no team given: routed
    assert second["rejected_at"] == "2025-03-04T14:00:00+08:00"


def test_an_english_csv_keeps_our_own_codes_and_numbers_the_rest_after_them(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    live = chat.report().code  # HZ-261130-0001, reported in the chat
    path = write_csv(tmp_path / "ledger.csv", [
        row(code="YH-17", description="没有我们的编号"),
        row(code="HZ-250302-0005", description="我们导出的编号"),
        row(description="没有编号"),
        row(code=live, reported_at="2025-03-03 08:00"),
    ])
    code, _, err = cli(chat, capsys, "import", "tickets", str(path), "--skip-invalid",
                       "--lang", "en")
    assert code == 0
    assert msg("en", "import.row", row=5, reasons=msg("en", "import.reason.code_taken",
                                                     code=live)) in err
    codes = {r["description"]: r["code"] for r in chat.records()}
    assert codes == {"主轴防护罩破损，铁屑飞溅": live, "我们导出的编号": "HZ-250302-0005",
                     "没有我们的编号": "HZ-250302-0006", "没有编号": "HZ-250302-0007"}


def test_reporters_no_longer_on_the_roster_are_kept_by_name_and_listed_at_the_end(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv", [
        row(reporter="老周", description="一"), row(reporter="老周", description="二"),
        row(reporter="林嘉欣", description="三"), row(reporter="Ann Lee", description="四"),
    ])
    code, out, _ = cli(chat, capsys, "import", "tickets", str(path), "--lang", "en")
    assert code == 0
    lines = out.splitlines()
    assert lines[-4:] == [
        msg("en", "import.unknown_reporters"),
        "  " + msg("en", "import.unknown_reporter", name="Ann Lee", count=1),
        "  " + msg("en", "import.unknown_reporter", name="老周", count=2),
        msg("en", "import.summary.tickets", imported=4, already=0, rejected=0, unknown=2),
    ]
    assert [r["reporter"] for r in chat.records()] == ["老周", "老周", "W02", "Ann Lee"]


def test_imported_tickets_show_in_status_the_xlsx_ledger_and_the_audit_trail(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv", [
        row(reporter="老周", closed_at="2025-03-03 10:00", description="已关闭的旧隐患")])
    assert cli(chat, capsys, "import", "tickets", str(path))[0] == 0

    card = chat.run("SO1", "/status HZ-250302-0001").text("SO1")
    assert "HZ-250302-0001" in card and "老周" in card and "已关闭的旧隐患" in card
    assert msg("zh-CN", "status.closed") in card

    ledger = tmp_path / "ledger.xlsx"
    assert cli(chat, capsys, "tickets", "export", "--format", "xlsx", "--out", str(ledger))[0] == 0
    sheet = openpyxl.load_workbook(ledger).worksheets[0]
    assert "HZ-250302-0001" in [cell.value for cell in sheet["A"]]

    _, trail, _ = cli(chat, capsys, "audit", "show")
    assert msg("zh-CN", "audit.FileImported") in trail
    assert hashlib.sha256(path.read_bytes()).hexdigest() in trail


def test_an_open_imported_ticket_sends_nothing_and_its_clock_starts_at_the_import(
    chat: Chat, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv",
                     [row(severity="general", description="旧的未处理隐患")])
    args = parser().parse_args(["import", "tickets", str(path)])
    assert run_import(args, chat.settings, now=chat.clock.now(),
                      out=io.StringIO(), err=io.StringIO()) == 0
    assert chat.deliver().lines == []  # no card to the team, no word to the reporter

    # Reported 21 months ago, a day to acknowledge: counted from the report it would escalate
    # at the first sweep. Counted from the import, it waits its 24 h.
    said = chat.run("SM", "!wait 1h")
    assert "HZ-250302-0001" not in said and chat.ticket("HZ-250302-0001").escalation_level == 0
    chat.run("SM", "!wait 24h")
    assert chat.ticket("HZ-250302-0001").escalation_level == 1


def test_a_dry_run_counts_everything_and_writes_nothing(
    chat: Chat, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "ledger.csv", [row(), row(area="NOPE")])
    code, out, _ = cli(chat, capsys, "import", "tickets", str(path), "--dry-run",
                       "--skip-invalid", "--lang", "en")
    assert code == 0
    assert msg("en", "import.summary.tickets", imported=1, already=0, rejected=1,
               unknown=0) in out
    assert msg("en", "import.dry_run") in out
    assert chat.records() == [] and imports_logged(chat) == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_only_on_a_terminal() -> None:
    screen, log = Terminal(), io.StringIO()
    for stream in (screen, log):
        with Progress(3, stream) as bar:
            for _ in range(3):
                bar.tick()
    assert screen.getvalue().endswith("\r[" + "#" * Progress.WIDTH + "] 3/3\n")
    assert log.getvalue() == ""


def test_json_export_of_imported_tickets_parses(chat: Chat, capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ledger.csv", [row()])
    cli(chat, capsys, "import", "tickets", str(path))
    _, printed, _ = cli(chat, capsys, "tickets", "export", "--format", "json")
    records = json.loads(printed)
    assert [r["code"] for r in records] == ["HZ-250302-0001"]
    assert datetime.fromisoformat(records[0]["respond_by"]) > datetime.fromisoformat(
        records[0]["created_at"]) + timedelta(days=30)  # an open ticket's clock: from import

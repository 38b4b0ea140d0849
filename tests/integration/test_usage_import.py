"""`safetyloop import runlog|hours FILE`, and every import on SQLite and PostgreSQL alike."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.cli import main
from core.usage_rows import RunPeriod
from storage.uow import SqlUnitOfWork
from tests.chat import DEMO_PLANT, msg


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def cli(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--database", url, "--config", str(DEMO_PLANT), "--lang", "en"])
    out, err = capsys.readouterr()
    return code, out, err


def rejected_lines(err: str) -> list[str]:
    return [line.strip() for line in err.splitlines() if line.startswith("  row ")]


def reason(number: int, key: str, **values: object) -> str:
    return msg("en", "import.row", row=number, reasons=msg("en", key, **values))


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


RUNLOG = [
    ["CNC-07", "2025-03-01 08:00", "2025-03-01 20:00"],
    ["CNC-07", "2025-03-01 19:00", "2025-03-01 23:00"],
    ["CNC-07", "2025-03-02 10:00", "2025-03-02 08:00"],
    ["LATHE-1", "2025-03-02 08:00", "2025-03-02 18:00"],
    ["CNC-12", "2025-03-01 08:00", "soon"],
    ["cnc-07", "2025-03-01 08:00", "2025-03-01 20:00"],
    ["CNC-12", "2025-03-01 08:00", "2025-03-01 18:00"],
]


def test_a_runlog_rejects_reversed_overlapping_and_unknown_rows_and_imports_once(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "runlog.csv", ["equipment", "start", "end"], RUNLOG)
    url = url_of(engine)
    code, _, err = cli(url, capsys, "import", "runlog", str(path))
    assert code == 1
    assert rejected_lines(err) == [
        reason(3, "import.reason.overlaps_row", row=2),
        reason(4, "import.reason.reversed", start="2025-03-02 10:00", end="2025-03-02 08:00"),
        reason(5, "import.reason.unknown_equipment", value="LATHE-1"),
        reason(6, "import.reason.bad_time", column="end/结束时间/停机时间", value="soon"),
        reason(7, "import.reason.same_as_row", row=2),
    ]
    with SqlUnitOfWork(engine) as uow:
        assert uow.run_log.periods("CNC-07") == []

    code, out, _ = cli(url, capsys, "import", "runlog", str(path), "--skip-invalid")
    assert code == 0
    assert msg("en", "import.summary.runlog", imported=2, already=0, rejected=5) in out
    code, out, err = cli(url, capsys, "import", "runlog", str(path), "--skip-invalid")
    assert msg("en", "import.summary.runlog", imported=0, already=3, rejected=4) in out
    assert reason(3, "import.reason.overlaps_stored", start="2025-03-01 08:00",
                  end="2025-03-01 20:00") in rejected_lines(err)
    with SqlUnitOfWork(engine) as uow:
        assert uow.run_log.periods("CNC-07") == [RunPeriod(
            "CNC-07", datetime(2025, 3, 1, 0, 0, tzinfo=UTC),
            datetime(2025, 3, 1, 12, 0, tzinfo=UTC))]
        assert uow.run_log.periods("CNC-12", before=datetime(2025, 3, 1, tzinfo=UTC)) == []


def test_hours_reject_bad_rows_and_a_second_file_replaces_a_month(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = url_of(engine)
    first = write_csv(tmp_path / "hours.csv", ["部门", "月份", "工时"], [
        ["EQUIP", "2025-03", "12000"], ["生产部", "2025年3月", "30,000.5"],
        ["HR", "2025-03", "100"], ["EQUIP", "2025-13", "1"], ["SAFETY", "2025-03", "abc"],
        ["EQUIP", "2025/3", "5"],
    ])
    code, out, err = cli(url, capsys, "import", "hours", str(first), "--skip-invalid")
    assert code == 0
    assert rejected_lines(err) == [
        reason(4, "import.reason.unknown_department", value="HR",
               known="SAFETY, EQUIP, PROD, LEGAL, ADMIN"),
        reason(5, "import.reason.bad_month", value="2025-13"),
        reason(6, "import.reason.bad_hours", value="abc"),
        reason(7, "import.reason.same_as_row", row=2),
    ]
    assert msg("en", "import.summary.hours", imported=2, replaced=0, already=0,
               rejected=4) in out

    second = write_csv(tmp_path / "hours2.csv", ["department", "month", "hours"], [
        ["EQUIP", "2025-03", "12500"], ["PROD", "2025-03", "30000.5"],
        ["SAFETY", "2025-04", "800"],
    ])
    code, out, _ = cli(url, capsys, "import", "hours", str(second))
    assert code == 0
    assert msg("en", "import.summary.hours", imported=1, replaced=1, already=1,
               rejected=0) in out
    with SqlUnitOfWork(engine) as uow:
        assert uow.hours_worked.get("EQUIP", date(2025, 3, 1)) == 12500
        assert uow.hours_worked.total(first=date(2025, 3, 1), last=date(2025, 4, 1)) == 43300.5
        assert uow.hours_worked.total(first=date(2025, 3, 1), last=date(2025, 3, 1),
                                      department="PROD") == 30000.5
        assert uow.hours_worked.total(first=date(2024, 1, 1), last=date(2024, 12, 1)) is None
        logged = [e.data for e in uow.audit.entries() if e.action == "FileImported"]
    assert [(d["kind"], d["imported"], d["replaced"]) for d in logged] == [
        ("hours", 2, 0), ("hours", 1, 1)]


def test_a_ledger_imports_once_on_each_database(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header = ["reported_at", "reporter", "area", "category", "severity", "description",
              "closed_at"]
    path = write_csv(tmp_path / "ledger.csv", header, [
        ["2025-03-02 08:10", "W01", "MACH", "mechanical", "serious", "一", "2025-03-03 08:00"],
        ["2025-03-02 09:10", "W02", "WH", "fire", "general", "二", ""],
    ])
    url = url_of(engine)
    for imported, already in ((2, 0), (0, 2)):
        code, out, _ = cli(url, capsys, "import", "tickets", str(path))
        assert code == 0
        assert msg("en", "import.summary.tickets", imported=imported, already=already,
                   rejected=0, unknown=0) in out
    with SqlUnitOfWork(engine) as uow:
        tickets = list(uow.tickets.all())
        assert [(t.code, t.status.value) for t in tickets] == [
            ("HZ-250302-0001", "closed"), ("HZ-250302-0002", "reported")]
        assert uow.imports.known({"nothing"}) == set()

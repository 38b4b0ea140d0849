"""Ledger import, pure: the header, each row's checks, the status the times give, the key."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.imports import FileRejected, Problem, parse_month, parse_time, records
from core.plant import Person, Severity
from core.ticket_rows import TICKET_COLUMNS, LedgerTicket, as_ticket, check_ticket
from core.tickets import Status, Validity
from core.usage_rows import MonthHours, RunPeriod, check_month_hours, check_run_period
from tests.unit.core.fakes import make_plant

PLANT = make_plant()
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
GOOD = {"reported_at": "2026-03-02 08:10", "reporter": "W1", "area": "MACH",
        "category": "mechanical", "severity": "serious", "description": "冷却液泄漏"}


def check(**cells: str) -> LedgerTicket | list[Problem]:
    return check_ticket(7, {**GOOD, **cells}, PLANT, ZONE, NOW)


def reasons(**cells: str) -> list[str]:
    found = check(**cells)
    assert isinstance(found, list), "the row was accepted"
    return [p.key.removeprefix("import.reason.") for p in found]


def accepted(**cells: str) -> LedgerTicket:
    found = check(**cells)
    assert isinstance(found, LedgerTicket), found
    return found


def test_a_good_row_gets_ids_plant_time_a_routed_team_and_a_status_from_its_times() -> None:
    entry = accepted(area="机加工车间", reporter="张伟", acknowledged_at="2026-03-02 09:00")
    assert (entry.row, entry.area, entry.reporter, entry.reporter_known) == (7, "MACH", "W1", True)
    assert entry.reported_at == datetime(2026, 3, 2, 0, 10, tzinfo=UTC)
    assert (entry.team, entry.severity) == ("MECH", Severity.SERIOUS)
    assert (entry.status, entry.validity) == (Status.ACKNOWLEDGED, Validity.VALID)


@pytest.mark.parametrize(("cells", "status"), [
    ({}, Status.REPORTED),
    ({"resolved_at": "2026-03-02 12:00"}, Status.RESOLVED),
    ({"acknowledged_at": "2026-03-02 09:00", "closed_at": "2026-03-03 09:00"}, Status.CLOSED),
    ({"valid": "否"}, Status.REJECTED),
    ({"status": "处理中", "acknowledged_at": "2026-03-02 09:00"}, Status.IN_PROGRESS),
])
def test_the_status_is_the_one_given_or_the_one_the_times_say(
    cells: dict[str, str], status: Status
) -> None:
    assert accepted(**cells).status is status


@pytest.mark.parametrize(("cells", "reason"), [
    ({"reported_at": ""}, "empty"),
    ({"description": ""}, "empty"),
    ({"reported_at": "2026-13-02 08:00"}, "bad_time"),
    ({"reported_at": "2027-01-01 08:00"}, "future_time"),
    ({"acknowledged_at": "2026-03-02 08:00"}, "out_of_order"),
    ({"acknowledged_at": "2026-03-02 09:00", "resolved_at": "2026-03-02 10:00",
      "closed_at": "2026-03-02 09:30"}, "out_of_order"),
    ({"area": "喷漆间"}, "unknown_area"),
    ({"category": "noise"}, "unknown_category"),
    ({"team": "PAINTERS"}, "unknown_team"),
    ({"equipment": "CNC-99"}, "unknown_equipment"),
    ({"severity": "medium"}, "bad_severity"),
    ({"valid": "maybe"}, "bad_valid"),
    ({"status": "done-ish"}, "bad_status"),
    ({"status": "closed"}, "status_needs"),
    ({"status": "reported", "resolved_at": "2026-03-02 12:00"}, "status_contradicts"),
    ({"status": "closed", "closed_at": "2026-03-02 12:00", "valid": "no"},
     "invalid_not_rejected"),
    ({"status": "已驳回", "valid": "是"}, "rejected_but_valid"),
    ({"description": "长" * 4001}, "too_long"),
])
def test_each_reason_of_rejection_is_named(cells: dict[str, str], reason: str) -> None:
    assert reasons(**cells) == [reason]


def test_every_problem_of_a_row_is_listed_at_once() -> None:
    found = reasons(reported_at="yesterday", area="X", category="Y", severity="Z", valid="?")
    assert found == ["bad_time", "unknown_area", "unknown_category", "bad_severity",
                     "bad_valid"]


def test_two_people_of_one_name_need_the_id_and_a_stranger_is_kept_by_name() -> None:
    twins = make_plant(people=(*PLANT.people, Person(id="W9", name="张伟")))
    found = check_ticket(3, {**GOOD, "reporter": "张伟"}, twins, ZONE, NOW)
    assert isinstance(found, list) and found[0].key == "import.reason.ambiguous_reporter"
    stranger = accepted(reporter="老周")
    assert (stranger.reporter, stranger.reporter_known) == ("老周", False)


def test_times_read_iso_with_and_without_offset_and_common_spreadsheet_forms() -> None:
    expected = datetime(2026, 3, 2, 0, 10, tzinfo=UTC)
    for text in ("2026-03-02 08:10", "2026-03-02T08:10:00", "2026-03-02T00:10:00+00:00",
                 "2026/3/2 8:10", "2026年3月2日 08:10"):
        assert parse_time(text, ZONE) == expected, text
    with pytest.raises(ValueError):
        parse_time("02.03.2026", ZONE)


def test_the_import_key_is_the_code_else_stable_over_status_and_spacing() -> None:
    assert accepted(code="yh-001").key == "code:YH-001"
    first = accepted(description="冷却液  泄漏")
    later = accepted(description="冷却液 泄漏", status="已接收", acknowledged_at="2026-03-03 08:00")
    assert first.key == later.key and first.key.startswith("row:")
    assert accepted(reporter="张伟").key == accepted().key != accepted(area="PAINT").key
    assert accepted(code="HZ-260302-0007").own_code == "HZ-260302-0007"
    assert accepted(code="YH-001").own_code is None


def test_a_finished_ticket_keeps_its_report_deadlines_and_an_open_one_starts_now() -> None:
    closed = as_ticket(accepted(closed_at="2026-03-03 10:00"), "HZ-260302-0001", PLANT, NOW)
    assert closed.due_at is None and closed.remind_at is None
    assert closed.respond_by == datetime(2026, 3, 2, 0, 10, tzinfo=UTC) + timedelta(hours=4)
    waiting = as_ticket(accepted(), "HZ-260302-0002", PLANT, NOW)
    assert waiting.respond_by == waiting.due_at == NOW + timedelta(hours=4)
    assert waiting.policy is not None and waiting.points == 0
    rejected = as_ticket(accepted(valid="no", resolved_at="2026-03-04 10:00"), "HZ-1", PLANT, NOW)
    assert rejected.rejected_at == datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    assert rejected.validity is Validity.INVALID


def test_the_header_may_sit_under_a_title_in_chinese_and_a_missing_column_rejects_the_file(
) -> None:
    rows = [(1, ["隐患台账 2026"]), (2, ["上报时间", "上报人", "区域", "隐患类别", "隐患等级",
                                        "隐患描述", "备注"]),
            (3, ["2026-03-02 08:10", "W1", "MACH", "mechanical", "一般", "漏油", "x"]),
            (4, ["", "", "", "", "", "", ""])]
    table = records(rows, TICKET_COLUMNS)
    assert table.ignored_columns == ["备注"]
    assert table.records == [(3, {"reported_at": "2026-03-02 08:10", "reporter": "W1",
                                  "area": "MACH", "category": "mechanical",
                                  "severity": "一般", "description": "漏油"})]
    with pytest.raises(FileRejected) as caught:
        records([(1, ["reported_at", "reporter", "area", "category", "description"])],
                TICKET_COLUMNS)
    assert caught.value.reason.key == "import.file.missing_columns"
    assert "severity/隐患等级" in str(caught.value.reason.values["columns"])


def test_a_run_period_is_a_known_machine_from_start_to_a_later_end() -> None:
    good = check_run_period({"equipment": "cnc-07", "start": "2026-03-01 08:00",
                             "end": "2026-03-01 20:00"}, PLANT, ZONE, NOW)
    assert good == RunPeriod("CNC-07", datetime(2026, 3, 1, 0, 0, tzinfo=UTC),
                             datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    bad = check_run_period({"equipment": "LATHE", "start": "2026-03-01 20:00",
                            "end": "2026-03-01 08:00"}, PLANT, ZONE, NOW)
    assert isinstance(bad, list)
    assert [p.key for p in bad] == ["import.reason.unknown_equipment", "import.reason.reversed"]


def test_hours_are_a_known_department_a_month_and_a_number_not_below_zero() -> None:
    assert check_month_hours({"department": "设备部", "month": "2026年3月", "hours": "12,480.5"},
                             PLANT) == MonthHours("EQUIP", date(2026, 3, 1), 12480.5)
    assert parse_month("2026-03-01T00:00:00") == date(2026, 3, 1)  # Excel's month cell
    bad = check_month_hours({"department": "HR", "month": "2026-3-15", "hours": "-1"}, PLANT)
    assert isinstance(bad, list)
    assert [p.key for p in bad] == ["import.reason.unknown_department",
                                    "import.reason.bad_month", "import.reason.bad_hours"]

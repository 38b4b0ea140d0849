"""`safetyloop kpi`: exactly issue 12's JSON keys, a readable table, polite refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from core.plant import Severity
from core.tickets import Ticket, Validity
from storage.database import make_engine
from storage.uow import SqlUnitOfWork
from tests.databases import new_database

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"
KEYS = [
    "reported", "by_area", "by_category", "by_severity", "by_status",
    "response_hours_mean", "response_hours_median", "close_hours_mean", "close_hours_median",
    "on_time_rate", "repeat_rate", "reports_per_person", "escalations",
    "cross_dept_close_days", "ltifr", "trir", "safe_days", "longest_safe_streak_this_year",
    "longest_safe_streak_last_year", "hazards_per_injury", "health_index",
]


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = tmp_path / "db.sqlite"
    new_database(path)
    engine = make_engine(f"sqlite:///{path}")
    at = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 on 2 November in Suzhou
    with SqlUnitOfWork(engine) as uow:
        for number, hours in ((1, 3.0), (2, 5.0)):
            uow.tickets.add(Ticket(
                code=f"HZ-261102-{number:04d}", reporter="W01", area="A1", category="mechanical",
                severity=Severity.GENERAL, urgency=Severity.GENERAL, description="-", team="T1",
                created_at=at, validity=Validity.VALID,
                acknowledged_at=at + timedelta(hours=hours)))
        uow.commit()
    engine.dispose()
    return f"sqlite:///{path}"


def run(database: str, *args: str) -> int:
    return main(["kpi", *args, "--config", str(DEMO), "--database", database])


def test_json_has_exactly_the_issues_keys(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(database, "2026-11", "--as-of", "2026-12-01T08:00+08:00", "--format", "json") == 0
    printed = json.loads(capsys.readouterr().out)
    assert list(printed) == KEYS
    assert printed["reported"] == 2
    assert printed["response_hours_mean"] == pytest.approx(4.0)
    assert printed["on_time_rate"] == 1.0
    assert (printed["ltifr"], printed["safe_days"]) == (None, None)  # no hours, no injuries
    # By department id (filled by the safety health index where it is built).
    assert set(printed["health_index"]) <= {"SAFETY", "EQUIP", "PROD", "LEGAL", "ADMIN"}


def test_the_table_names_each_kpi(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(database, "2026-11", "--as-of", "2026-12-01", "--format", "table") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "KPIs 2026-11"
    assert [line.split()[0] for line in lines[1:]] == KEYS


@pytest.mark.parametrize(("args", "said"), [
    (("2026-13",), "YYYY-MM"),
    (("Nov",), "YYYY-MM"),
    (("2026-11", "--as-of", "yesterday"), "--as-of"),
    (("2026-11", "--department", "NOPE"), "NOPE"),
])
def test_bad_arguments_are_refused_with_a_reason(
        database: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str,
) -> None:
    assert run(database, *args) == 2
    assert said in capsys.readouterr().err

"""Trend warnings on SQLite and PostgreSQL: the GROUP BY, the run log, the nightly scan kept
once, and `safetyloop warnings --format json`; answers worked out by hand (tests/trend_data.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select

from bot.cli import main
from core.clock import SimClock
from core.plant import Plant
from core.trend_scan import find_warnings, scan_trends
from core.trend_settings import TrendSettings
from core.trends import TrendWarned, TrendWarning
from core.usage_rows import RunPeriod
from handlers.warnings import message
from storage.tables import TrendWarningRow
from storage.uow import SqlUnitOfWork
from tests.chat import DEMO_PLANT
from tests.databases import plant_from
from tests.trend_data import (
    DAY,
    HOUR,
    LEAK_EN,
    LEAK_HOURS,
    LEAK_ZH,
    leak_story,
    local,
    store,
    ticket,
    with_leaks,
)

# The night of 1 June 2026, 02:00 in Suzhou: the window is the 90 days before.
END = local(2026, 6, 1, 2)


@pytest.fixture
def plant() -> Plant:
    return with_leaks(plant_from(DEMO_PLANT))


def warnings_at(engine: Engine, plant: Plant, at: datetime = END) -> list[TrendWarning]:
    with SqlUnitOfWork(engine) as uow:
        return find_warnings(uow.trends, plant, at)


def test_seven_coolant_leaks_after_long_runs_give_one_warning_and_its_sentence(
    engine: Engine, plant: Plant
) -> None:
    store(engine, *leak_story(plant, END))
    [warning] = warnings_at(engine, plant)
    assert (warning.equipment, warning.category, warning.count, warning.window_days) == (
        "CNC-07", "coolant_leak", 7, 90)
    assert warning.run_hours_before == pytest.approx(LEAK_HOURS)
    assert warning.after_long_runs == 7 and warning.mostly_after_long_runs
    assert message(plant, warning, "zh-CN") == LEAK_ZH
    assert message(plant, warning, "en") == LEAK_EN


def test_two_reports_in_the_window_are_no_trend_and_three_are(
    engine: Engine, plant: Plant
) -> None:
    store(engine, [ticket(plant, at=END - 5 * DAY, equipment="GRD-02", category="fire"),
                   ticket(plant, at=END - 4 * DAY, equipment="GRD-02", category="fire"),
                   # the same machine, another category: its own pair
                   ticket(plant, at=END - 3 * DAY, equipment="GRD-02", category="chemical")])
    assert warnings_at(engine, plant) == []
    store(engine, [ticket(plant, at=END - 1 * DAY, equipment="GRD-02", category="fire")])
    [warning] = warnings_at(engine, plant)
    assert (warning.equipment, warning.category, warning.count) == ("GRD-02", "fire", 3)
    # a threshold of 4 in plant.yaml: no warning again
    stricter = replace(plant, trends=TrendSettings(min_count=4))
    assert warnings_at(engine, stricter) == []


def test_no_run_log_gives_null_and_a_stopped_machine_gives_none_for_that_report(
    engine: Engine, plant: Plant
) -> None:
    times = [END - 40 * DAY, END - 20 * DAY, END - 10 * DAY]
    store(engine, [ticket(plant, at=at, equipment="GRD-02", category="fire") for at in times]
          + [ticket(plant, at=at, equipment="CNC-12", category="mechanical") for at in times],
          # CNC-12 ran 5 h before the first, was stopped at the second, ran 11 h before the
          # third; GRD-02 has no run log at all
          [RunPeriod("CNC-12", times[0] - 5 * HOUR, times[0] + HOUR),
           RunPeriod("CNC-12", times[1] - 9 * HOUR, times[1] - HOUR),
           RunPeriod("CNC-12", times[2] - 11 * HOUR, times[2] + 3 * HOUR)])
    found = {w.equipment: w for w in warnings_at(engine, plant)}
    assert found["GRD-02"].run_hours_before is None
    assert found["CNC-12"].run_hours_before == pytest.approx((5.0, None, 11.0))
    # one of three after a long run is not most: the sentence says only how often
    assert message(plant, found["CNC-12"], "zh-CN") == "CNC-12 机械隐患：3 个月 3 次"
    assert message(plant, found["GRD-02"], "en") == "GRD-02 Fire: 3 times in 3 months"


def count_rows(engine: Engine) -> int:
    with SqlUnitOfWork(engine) as uow:
        return int(uow.session.execute(select(func.count()).select_from(TrendWarningRow))
                   .scalar_one())


def test_the_nightly_scan_keeps_a_warning_once_and_announces_only_news(
    engine: Engine, plant: Plant
) -> None:
    store(engine, *leak_story(plant, END))
    clock = SimClock(END)
    with SqlUnitOfWork(engine) as uow:
        [kept] = scan_trends(uow=uow, plant=plant, clock=clock)
        assert uow.collect_new_events() == [TrendWarned(kept.id)]  # type: ignore[arg-type]
        assert uow.trends.scanned(END.date())
        uow.commit()
    for _ in range(2):  # the same night again, as a second process would
        with SqlUnitOfWork(engine) as uow:
            assert scan_trends(uow=uow, plant=plant, clock=clock) == []
            assert uow.collect_new_events() == []
            uow.commit()
    assert count_rows(engine) == 1
    clock.set(END + DAY)  # the next night: the same seven, kept for the day, not announced
    with SqlUnitOfWork(engine) as uow:
        [again] = scan_trends(uow=uow, plant=plant, clock=clock)
        assert again.count == 7 and uow.collect_new_events() == []
        uow.commit()
    store(engine, [ticket(plant, at=END + DAY + HOUR)])
    clock.set(END + 2 * DAY)  # an eighth leak: news again
    with SqlUnitOfWork(engine) as uow:
        [grown] = scan_trends(uow=uow, plant=plant, clock=clock)
        assert grown.count == 8
        assert uow.collect_new_events() == [TrendWarned(grown.id)]  # type: ignore[arg-type]
        uow.commit()
        assert [w.count for w in uow.trends.latest()] == [8]
    assert count_rows(engine) == 3


def test_the_cli_prints_exactly_the_keys_of_the_issue(
    engine: Engine, plant: Plant, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo plant file has no coolant leak category: the same story as mechanical ones.
    tickets, periods = leak_story(plant, END)
    store(engine, [replace(t, category="mechanical") for t in tickets], periods)
    url = engine.url.render_as_string(hide_password=False)
    code = main(["warnings", "--as-of", "2026-06-01T02:00", "--format", "json",
                 "--database", url, "--config", str(DEMO_PLANT)])
    out = capsys.readouterr().out
    assert code == 0
    [row] = json.loads(out)
    assert set(row) == {"equipment", "category", "count", "window_days", "run_hours_before",
                        "message"}
    assert row["equipment"] == "CNC-07" and row["category"] == "mechanical"
    assert (row["count"], row["window_days"]) == (7, 90)
    assert row["run_hours_before"] == list(LEAK_HOURS)
    assert row["message"] == "CNC-07 机械隐患：3 个月 7 次，均发生在连续运行超过 10 小时后"
    # before any leak the list is empty, still a JSON list
    main(["warnings", "--as-of", "2025-01-01T00:00+00:00", "--format", "json",
          "--database", url, "--config", str(DEMO_PLANT)])
    assert json.loads(capsys.readouterr().out) == []

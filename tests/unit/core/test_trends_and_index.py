"""The pure parts of the trend warnings and the safety health index: run hours, what is news,
each dimension's scale and the weighted sum, and the button that adds a plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.buttons import WatchButton, decode, encode
from core.health_index import density_score, score
from core.index_settings import HealthIndexSettings
from core.kpi import TicketFigures
from core.trends import TrendWarning, is_news, run_hours, run_hours_before
from core.usage_rows import RunPeriod

T0 = datetime(2026, 3, 1, tzinfo=UTC)
H = timedelta(hours=1)


def test_run_hours_are_read_from_the_period_containing_the_report() -> None:
    periods = [RunPeriod("CNC-07", T0, T0 + 12 * H), RunPeriod("CNC-07", T0 + 13 * H, T0 + 30 * H)]
    assert run_hours_before(periods, T0 + 10 * H + 30 * timedelta(minutes=1)) == 10.5
    assert run_hours_before(periods, T0 + 12 * H) is None  # stopped: the end is excluded
    assert run_hours_before(periods, T0 + 29 * H) == 16.0
    assert run_hours(periods, [T0 + 2 * H, T0 + 12 * H + 30 * timedelta(minutes=1)]) == (
        2.0, None)
    assert run_hours([], [T0]) is None  # no run log: null, not a list of nones


def warning(count: int, day: date, hours: tuple[float | None, ...] | None = None) -> TrendWarning:
    return TrendWarning("CNC-07", "coolant_leak", day, count, 90, hours, 10.0, T0)


def test_more_than_half_after_long_runs_is_most_and_half_is_not() -> None:
    assert warning(3, date(2026, 6, 1), (10.5, 11.0, 2.0)).mostly_after_long_runs
    assert not warning(4, date(2026, 6, 1), (10.5, 11.0, 2.0, None)).mostly_after_long_runs
    assert not warning(3, date(2026, 6, 1), (10.0, 10.0, 10.0)).mostly_after_long_runs  # > 10
    assert not warning(3, date(2026, 6, 1), None).mostly_after_long_runs


def test_a_cluster_is_news_when_new_grown_or_back_after_a_quiet_window() -> None:
    day = date(2026, 6, 1)
    assert is_news(warning(3, day), None)
    assert not is_news(warning(3, day), warning(3, day - timedelta(days=1)))
    assert is_news(warning(4, day), warning(3, day - timedelta(days=1)))
    assert is_news(warning(3, day), warning(5, day - timedelta(days=90)))


def figures(**counts: object) -> TicketFigures:
    base: dict[str, object] = dict(
        reported=0, by_area={}, by_category={}, by_severity={}, by_status={},
        response_hours_mean=None, response_hours_median=None, close_hours_mean=None,
        close_hours_median=None, due=0, met=0, with_equipment=0, repeats=0, escalations=0,
        cross_dept_close_days=None)
    return TicketFigures(**{**base, **counts})  # type: ignore[arg-type]


def test_density_reads_as_engagement_up_to_the_ideal_then_as_risk() -> None:
    settings = HealthIndexSettings()  # ideal 2, worst 10
    assert [density_score(settings, d) for d in (0, 1, 2, 6, 10, 14)] == [
        0.0, 50.0, 100.0, 50.0, 0.0, 0.0]


def test_the_index_is_the_weighted_sum_of_the_four_scores() -> None:
    # 5,000 m², 15 reports → 3 per 1,000 m² → 87.5; 9 of 12 on time → 75; 2 of 10 repeats
    # → 0.2 → 60; 10 general, 5 critical → mean 35 / 15 = 7/3 → 100 × (1 − (4/3) / 2) = 33.3…;
    # 17.5 + 30 + 12 + 6.67 = 66.17 → 66.2
    found = score(HealthIndexSettings(), "D", 5000.0, figures(
        reported=15, by_severity={"general": 10, "critical": 5}, due=12, met=9,
        with_equipment=10, repeats=2))
    assert found.scores == pytest.approx({"density": 87.5, "rectification": 75.0,
                                          "recurrence": 60.0, "severity": 100 / 3})
    assert found.index == round(0.2 * 87.5 + 0.4 * 75 + 0.2 * 60 + 0.2 * 100 / 3, 1) == 66.2
    weighted = HealthIndexSettings(weights={"density": 0, "rectification": 1,
                                            "recurrence": 0, "severity": 0})
    assert score(weighted, "D", 5000.0, figures(reported=15, due=12, met=9)).index == 75.0


def test_the_plan_button_reads_back_and_forged_data_reads_as_nothing() -> None:
    assert decode(encode(WatchButton(12))) == WatchButton(12)
    assert encode(WatchButton(12)) == "tw:12"
    assert [decode(d) for d in ("tw:", "tw:x", "tw:-1", "tw:1234567890")] == [None] * 4

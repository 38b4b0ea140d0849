"""plant.yaml's `trends` and `health_index`: the demo's values, and `config check` naming what
cannot work by its path."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.chat import DEMO_PLANT
from tests.databases import plant_from
from tests.integration.test_plantfile_reminders import config_check, edited_demo


def test_the_demo_plant_flags_three_in_ninety_days_and_weighs_rectification_most() -> None:
    plant = plant_from(DEMO_PLANT)
    trends, index = plant.trends, plant.health_index
    assert (trends.min_count, trends.window_span, trends.long_run_span) == (
        3, timedelta(days=90), timedelta(hours=10))
    assert trends.plan_times == ("08:00-10:00", "14:00-16:00")
    assert max(index.weights, key=index.weights.__getitem__) == "rectification"


def test_config_check_names_each_bad_trend_and_index_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited_demo(
        tmp_path,
        ("  min_count: 3\n", "  min_count: 1\n"),
        ("  long_run: 10h\n", "  long_run: ten hours\n"),
        ('  plan_times: ["08:00-10:00", "14:00-16:00"]', '  plan_times: ["8 to 10"]'),
        ("  weights: {density: 0.2, rectification: 0.4, recurrence: 0.2, severity: 0.2}",
         "  weights: {density: 0.2, rectification: 0.4, recurence: 0.2, severity: -1}"),
        ("  density_worst: 10.0\n", "  density_worst: 1.0\n"),
    )
    code, lines = config_check(path, capsys)
    assert code != 0
    text = "\n".join(lines)
    for where in ("trends.min_count", "trends.long_run", "trends.plan_times[0]",
                  "health_index.weights.recurence", "health_index.weights.severity",
                  "health_index.density_worst"):
        assert where in text, where

"""When the monthly report is due to the managers: 08:00 plant time on the 1st, the month
before, with a week to catch up after downtime; and who receives it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.monthly import month_argument, next_send, receivers, scheduled_month, shift
from tests.databases import plant_from

PLANT = plant_from(Path(__file__).resolve().parents[3] / "config" / "demo-plant.yaml")


@pytest.mark.parametrize(("now", "due"), [
    (datetime(2026, 11, 30, 23, 59, tzinfo=UTC), None),  # 07:59 on 1 December in Shanghai
    (datetime(2026, 12, 1, 0, 0, tzinfo=UTC), (2026, 11)),  # 08:00
    (datetime(2026, 12, 7, 23, 59, tzinfo=UTC), (2026, 11)),  # the catch-up week
    (datetime(2026, 12, 8, 0, 0, tzinfo=UTC), None),
    (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), (2026, 12)),  # across the year
])
def test_the_month_before_is_due_from_eight_on_the_first_for_a_week(
    now: datetime, due: tuple[int, int] | None,
) -> None:
    assert scheduled_month(PLANT, now) == due


def test_the_next_send_is_eight_on_the_next_first() -> None:
    assert next_send(PLANT, datetime(2026, 11, 30, 1, 0, tzinfo=UTC)) == datetime(
        2026, 12, 1, 0, 0, tzinfo=UTC)
    assert next_send(PLANT, datetime(2026, 12, 1, 0, 0, tzinfo=UTC)) == datetime(
        2027, 1, 1, 0, 0, tzinfo=UTC)


def test_months_shift_across_years_and_arguments_must_be_months() -> None:
    assert shift(2026, 1, -1) == (2025, 12) and shift(2026, 12, 1) == (2027, 1)
    assert shift(2026, 11, -6) == (2026, 5)
    assert month_argument(" 2026-11 ") == (2026, 11)
    for text in ("2026-13", "2026-1", "26-11", "漏油", ""):
        assert month_argument(text) is None


def test_managers_and_department_heads_receive_it() -> None:
    assert receivers(PLANT) == ["PM", "SM", "DH-EQUIP", "DH-PROD"]

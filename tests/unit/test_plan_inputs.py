"""What people type into a remediation plan: amounts of yuan, dates, people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from bot.plantfile import read_plant
from handlers.plan_inputs import parse_date, parse_funds, person_by_text

DEMO = read_plant(Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml")
TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(("typed", "amount"), [
    ("50000", "50000.00"),
    ("12500.5", "12500.50"),
    ("¥12,500.50", "12500.50"),
    ("￥１２５００", "12500.00"),  # full-width, as Chinese keyboards type it
    ("5万", "50000.00"),
    ("1.25万元", "12500.00"),
    ("¥5万元", "50000.00"),
    ("8000 元", "8000.00"),
    ("0", "0.00"),
    ("3000 yuan", "3000.00"),
])
def test_amounts_are_read_as_people_write_them(typed: str, amount: str) -> None:
    assert parse_funds(typed) == Decimal(amount)


@pytest.mark.parametrize("typed", [
    "五万", "abc", "", "-500", "12.345", "1e6", "5万万", "NaN", "1.0000001万", "999999999999",
])
def test_anything_else_is_no_amount(typed: str) -> None:
    assert parse_funds(typed) is None


@pytest.mark.parametrize(("typed", "day"), [
    ("2026-12-31", date(2026, 12, 31)),
    ("2026/1/5", date(2026, 1, 5)),
    ("2027.03.01", date(2027, 3, 1)),
    ("2026年12月31日", date(2026, 12, 31)),
    ("12月31日", date(2026, 12, 31)),
    ("12-31", date(2026, 12, 31)),
    ("２０２６－１２－３１", date(2026, 12, 31)),
])
def test_dates_are_read_with_or_without_the_year(typed: str, day: date) -> None:
    assert parse_date(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["2026-02-30", "明天", "31/12/2026", "2026-13-01", "1231"])
def test_anything_else_is_no_date(typed: str) -> None:
    assert parse_date(typed, TODAY) is None


def test_a_person_is_found_by_id_in_any_case_or_by_a_name_only_they_have() -> None:
    assert person_by_text(DEMO, "tl-mech") == "TL-MECH"
    assert person_by_text(DEMO, "周杰") == "TL-MECH"
    assert person_by_text(DEMO, "老王") is None

"""A plan added from a trend warning is read back from its id: the machine it watches and why."""

from __future__ import annotations

from core.trends import plan_id, watched

CATEGORIES = ("leak", "oil-leak", "coolant_leak", "electrical")


def test_a_trend_plans_id_gives_back_its_machine_and_category() -> None:
    assert watched(plan_id("CNC-07", "coolant_leak"), CATEGORIES) == ("CNC-07", "coolant_leak")
    assert watched(plan_id("PRESS-2", "electrical"), CATEGORIES) == ("PRESS-2", "electrical")


def test_the_longest_category_that_ends_the_id_wins() -> None:
    # "P1-oil-leak" ends in "-leak" too: the machine is P1, not P1-oil.
    assert watched(plan_id("P1", "oil-leak"), CATEGORIES) == ("P1", "oil-leak")
    assert watched(plan_id("A-B", "leak"), CATEGORIES) == ("A-B", "leak")


def test_an_unknown_category_leaves_the_machine_part_whole_and_other_plans_are_none() -> None:
    assert watched("trend-CNC-07-gone", CATEGORIES) == ("CNC-07-gone", None)
    assert watched("trend-leak", CATEGORIES) == ("leak", None)  # nothing before the category
    assert watched("weekly-press", CATEGORIES) is None

"""The risk register's arithmetic: LEC grading at its edges, and the class an area takes."""

from __future__ import annotations

import pytest

from core.plant import Area, RiskClass
from core.risk import (
    DEFAULT_GRADING,
    Measure,
    RiskGrading,
    RiskLevel,
    RiskPoint,
    class_for,
    format_d,
    is_lower,
)
from tests.unit.core.test_plant import plant

CONTROL = (Measure(id="M1", text="防护罩完好", text_en="Guard in place"),)


def point(l: float, e: float, c: float, pid: str = "R1") -> RiskPoint:  # noqa: E741
    return RiskPoint(id=pid, hazard="挤压", l=l, e=e, c=c, measures=CONTROL)


# --- LEC grading


@pytest.mark.parametrize(
    ("d", "level"),
    [
        (1000, RiskLevel.RED),
        (320.5, RiskLevel.RED),
        (320, RiskLevel.ORANGE),  # red needs more than 320
        (160, RiskLevel.ORANGE),  # 160 opens orange
        (159.9, RiskLevel.YELLOW),
        (70, RiskLevel.YELLOW),  # 70 opens yellow
        (69.9, RiskLevel.BLUE),
        (0.05, RiskLevel.BLUE),
    ],
)
def test_each_default_threshold_falls_on_the_side_the_usual_tables_give_it(
    d: float, level: RiskLevel
) -> None:
    assert DEFAULT_GRADING.level(d) is level


def test_d_is_l_times_e_times_c_on_the_scale_values() -> None:
    assert point(3, 10, 7).d == 210
    assert point(3, 10, 7).level() is RiskLevel.ORANGE
    assert point(10, 10, 100).level() is RiskLevel.RED
    assert point(1, 10, 7).level() is RiskLevel.YELLOW  # exactly 70: the yellow edge
    assert point(0.5, 3, 15).d == 22.5


def test_products_of_decimal_scale_values_compare_exactly_at_an_edge() -> None:
    # 0.1 × 3 × 100 is 30.000000000000004 in binary floating point: on a red edge of 30
    # it must still be 30, so orange, not red.
    assert 0.1 * 3 * 100 != 30
    assert point(0.1, 3, 100).d == 30
    assert point(0.1, 3, 100).level(RiskGrading(red=30, orange=20, yellow=10)) is (
        RiskLevel.ORANGE)
    assert point(0.1, 3, 7).d == 2.1


def test_thresholds_set_in_plant_yaml_move_the_levels() -> None:
    strict = RiskGrading(red=200, orange=100, yellow=50)
    assert point(3, 10, 7).level(strict) is RiskLevel.RED  # 210 > 200
    assert strict.level(200) is RiskLevel.ORANGE
    assert strict.level(50) is RiskLevel.YELLOW
    assert strict.level(49) is RiskLevel.BLUE


def test_d_is_shown_as_a_safety_officer_writes_it() -> None:
    assert [format_d(v) for v in (210.0, 22.5, 2.1, 0.1, 1000)] == ["210", "22.5", "2.1", "0.1",
                                                                   "1000"]


# --- the class of an area


@pytest.mark.parametrize(
    ("highest", "expected"),
    [
        (point(10, 10, 7), RiskClass.A),  # 700 red
        (point(1, 6, 40), RiskClass.A),  # 240 orange
        (point(1, 6, 15), RiskClass.B),  # 90 yellow
        (point(1, 6, 7), RiskClass.C),  # 42 blue
    ],
)
def test_an_area_takes_the_class_of_its_highest_risk_point(
    highest: RiskPoint, expected: RiskClass
) -> None:
    low = point(0.5, 1, 1, pid="R0")
    assert class_for([low, highest]) is expected
    assert Area(id="X", name="车间", risk_points=(low, highest)).risk_class is expected


def test_an_area_without_risk_points_or_a_class_is_c_and_not_set_by_hand() -> None:
    area = Area(id="X", name="车间")
    assert (area.risk_class, area.class_by_hand) == (RiskClass.C, False)


def test_a_class_set_by_hand_wins_over_the_risk_points_and_says_so() -> None:
    area = Area(id="X", name="车间", risk_class=RiskClass.B, risk_points=(point(3, 10, 7),))
    assert (area.risk_class, area.class_by_hand) == (RiskClass.B, True)
    derived = Area(id="X", name="车间", risk_points=(point(3, 10, 7),))
    assert (derived.risk_class, derived.class_by_hand) == (RiskClass.A, False)


def test_the_plant_grades_derived_classes_by_its_own_thresholds_and_leaves_hand_set_ones() -> None:
    ninety = (point(1, 6, 15),)
    areas = (Area(id="MACH", name="机加工", risk_points=ninety),
             Area(id="WH", name="仓库", risk_class=RiskClass.C, risk_points=ninety))
    assert [a.risk_class for a in plant(areas=areas).areas] == [RiskClass.B, RiskClass.C]
    strict = plant(areas=areas, risk_grading=RiskGrading(red=80, orange=60, yellow=30))
    assert [a.risk_class for a in strict.areas] == [RiskClass.A, RiskClass.C]
    assert [a.class_by_hand for a in strict.areas] == [False, True]
    assert [a.risk_class for a in areas] == [RiskClass.B, RiskClass.C]  # the originals unchanged


def test_a_lower_class_is_one_inspected_less_often() -> None:
    assert is_lower(RiskClass.C, RiskClass.A)
    assert is_lower(RiskClass.B, RiskClass.A)
    assert not is_lower(RiskClass.A, RiskClass.B)
    assert not is_lower(RiskClass.B, RiskClass.B)


# --- what config check says about classes (paths; the loader adds the lines)


def test_a_class_set_below_the_risks_and_an_unassessed_area_are_warnings_not_problems() -> None:
    areas = (
        Area(id="MACH", name="机加工", risk_class=RiskClass.B, risk_points=(point(3, 10, 7),)),
        Area(id="ASSY", name="装配", risk_class=RiskClass.A, risk_points=(point(1, 6, 7, "R2"),)),
        Area(id="WH", name="仓库"),
    )
    p = plant(areas=areas, checkpoints=())
    assert p.problems() == []
    assert [(where, message.split(":")[0]) for where, message in p.warnings()] == [
        ("areas[0].risk_class", "warning"),
        ("areas[2]", "warning"),
    ]
    assert "class B is lower than its risk points call for: 'R1' is orange (D 210), which " \
        "makes class A" in p.warnings()[0][1]

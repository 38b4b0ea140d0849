"""A checkpoint's checklist: its area's control measures, then its area type's template."""

from __future__ import annotations

from core.checklist_items import items_for
from core.checklists import ChecklistItem
from core.plant import Area, Severity
from core.risk import Measure, RiskPoint
from tests.unit.core.fakes import make_plant

PRESS = RiskPoint("P-R1", "冲床挤压", l=3, e=10, c=7, hazard_en="Press crushing",  # D 210
                  measures=(Measure("M1", "光幕点检", "Light curtain tested"),
                            Measure("M2", "手用工具", "Hand tools")), equipment="PRESS-03")
FLOOR = RiskPoint("P-R2", "地面湿滑", l=3, e=6, c=1, measures=(Measure("M1", "地面干燥"),))  # 18
TEMPLATE = {
    "workshop": (ChecklistItem("exits", "安全出口畅通", "Exits clear"),),
    "warehouse": (ChecklistItem("racking", "货架完好"),),
}


def plant_with(*areas: Area):  # type: ignore[no-untyped-def]
    return make_plant(areas=areas, checklists=TEMPLATE)


def test_the_measures_come_first_then_the_template_of_the_area_type() -> None:
    plant = plant_with(Area("STAMP", "冲压车间", risk_points=(PRESS, FLOOR)))
    items = items_for(plant, "STAMP")
    assert [i.key for i in items] == ["P-R1/M1", "P-R1/M2", "P-R2/M1", "workshop/exits"]
    assert [i.risk_point for i in items] == ["P-R1", "P-R1", "P-R2", None]
    assert items[0].equipment == "PRESS-03" and items[3].equipment is None
    assert items[0].label("en") == "Light curtain tested" and items[0].label("zh-CN") == "光幕点检"
    assert items[2].label("en") == "地面干燥"  # no English: the Chinese text


def test_a_failing_measure_of_an_orange_or_red_risk_is_serious_and_the_rest_general() -> None:
    plant = plant_with(Area("STAMP", "冲压车间", risk_points=(PRESS, FLOOR)))
    urgency = {i.key: i.urgency for i in items_for(plant, "STAMP")}
    assert urgency == {"P-R1/M1": Severity.SERIOUS, "P-R1/M2": Severity.SERIOUS,
                       "P-R2/M1": Severity.GENERAL, "workshop/exits": Severity.GENERAL}


def test_an_area_of_another_type_gets_its_own_template_and_an_unknown_area_nothing() -> None:
    plant = plant_with(Area("WH", "仓库", type="warehouse"), Area("LAB", "实验室", type="lab"))
    assert [i.key for i in items_for(plant, "WH")] == ["warehouse/racking"]
    assert items_for(plant, "LAB") == ()
    assert items_for(plant, "NOWHERE") == ()

"""What a checkpoint's checklist asks: the control measures of its area's risk points, then the
template items of the area's type (plant.yaml `checklists`), and how urgent a finding is.

Each item has a stable key for the answer rows: `RISK-POINT/MEASURE` for a measure
(`STAMP-R1/M1`) and `TYPE/ITEM` for a template item (`workshop/exits`).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.plant import Plant, Severity
from core.risk import RiskLevel

# A control measure of a red or orange risk point that does not hold is a serious hazard.
SERIOUS_LEVELS = (RiskLevel.RED, RiskLevel.ORANGE)


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    text_en: str = ""
    risk_point: str | None = None  # the risk point whose measure this is
    equipment: str | None = None  # the risk point's machine, when it sits on one
    urgency: Severity = Severity.GENERAL  # what a Not OK answer here opens

    def label(self, lang: str) -> str:
        return self.text_en if lang == "en" and self.text_en else self.text


def items_for(plant: Plant, area_id: str) -> tuple[Item, ...]:
    """The area's checklist in the order it is asked; empty for an unknown area."""
    area = plant.areas_by_id.get(area_id)
    if area is None:
        return ()
    measures = [
        Item(f"{point.id}/{measure.id}", measure.text, measure.text_en, point.id,
             point.equipment, _urgency(point.level(plant.risk_grading)))
        for point in area.risk_points for measure in point.measures
    ]
    template = [Item(f"{area.type}/{item.id}", item.text, item.text_en)
                for item in plant.checklists.get(area.type, ())]
    return (*measures, *template)


def _urgency(level: RiskLevel) -> Severity:
    return Severity.SERIOUS if level in SERIOUS_LEVELS else Severity.GENERAL

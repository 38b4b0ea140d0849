"""Which team must fix a report: declarative rules, first match wins."""

from __future__ import annotations

from core.plant import Plant, RoutingRule


def _matches(rule: RoutingRule, category: str, area: str, equipment_type: str | None) -> bool:
    return (
        (rule.category is None or rule.category == category)
        and (rule.area is None or rule.area == area)
        and (rule.equipment_type is None or rule.equipment_type == equipment_type)
    )


def route(plant: Plant, *, category: str, area: str, equipment: str | None) -> str:
    """The team id for a report; the default team catches what no rule matches."""
    kit = plant.equipment_by_code.get(equipment.upper()) if equipment else None
    equipment_type = kit.type if kit else None
    for rule in plant.routing.rules:
        if _matches(rule, category, area, equipment_type):
            return rule.team
    return plant.routing.default_team

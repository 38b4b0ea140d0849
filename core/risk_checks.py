"""What is wrong, or looks wrong, in the risk register of plant.yaml, by YAML path.

Problems refuse the file (a value off the LEC scale, a repeated id, a checklist that does
not exist); warnings let it load but ask for a second look (an area inspected less often
than its risks call for, an area nobody has assessed).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from core.risk import C_SCALE, CLASS_OF_LEVEL, E_SCALE, L_SCALE, class_for, format_d, is_lower

if TYPE_CHECKING:
    from core.plant import Plant

Problem = tuple[str, str]
_SCALES = (("l", L_SCALE), ("e", E_SCALE), ("c", C_SCALE))


def risk_problems(plant: Plant) -> list[Problem]:
    return [
        *_grading_problems(plant),
        *_off_the_scale(plant),
        *_repeated_risk_points(plant),
        *_measure_problems(plant),
        *_unknown_equipment(plant),
        *_checklist_problems(plant),
    ]


def risk_warnings(plant: Plant) -> list[Problem]:
    return [*_classes_set_too_low(plant), *_unassessed_areas(plant)]


def _grading_problems(plant: Plant) -> Iterator[Problem]:
    g = plant.risk_grading
    if not 0 < g.yellow < g.orange < g.red:
        yield (
            "risk_grading",
            f"the levels must rise: 0 < yellow < orange < red, got yellow {format_d(g.yellow)}, "
            f"orange {format_d(g.orange)}, red {format_d(g.red)}",
        )


def _off_the_scale(plant: Plant) -> Iterator[Problem]:
    for i, area in enumerate(plant.areas):
        for j, point in enumerate(area.risk_points):
            for letter, scale in _SCALES:
                value = getattr(point, letter)
                if value not in scale:
                    allowed = ", ".join(format_d(v) for v in scale)
                    yield (
                        f"areas[{i}].risk_points[{j}].{letter}",
                        f"{format_d(value)} is not on the LEC scale for {letter.upper()}; "
                        f"use one of {allowed}",
                    )


def _repeated_risk_points(plant: Plant) -> Iterator[Problem]:
    """Risk point ids are unique in the whole plant: checklist answers name them alone."""
    first: dict[str, str] = {}
    for i, area in enumerate(plant.areas):
        for j, point in enumerate(area.risk_points):
            here = f"areas[{i}].risk_points[{j}]"
            earlier = first.setdefault(point.id, here)
            if earlier != here:
                yield (f"{here}.id",
                       f"duplicate risk point id {point.id!r} (already used by {earlier})")


def _measure_problems(plant: Plant) -> Iterator[Problem]:
    for i, area in enumerate(plant.areas):
        for j, point in enumerate(area.risk_points):
            here = f"areas[{i}].risk_points[{j}]"
            if not point.measures:
                yield (f"{here}.measures",
                       f"{point.id!r} needs at least one control measure (管控措施)")
            yield from _repeats(f"{here}.measures", "measure", (m.id for m in point.measures))


def _repeats(path: str, what: str, ids: Iterable[str]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for k, item in enumerate(ids):
        j = first.setdefault(item, k)
        if j != k:
            yield f"{path}[{k}].id", f"duplicate {what} id {item!r} (already used by {path}[{j}])"


def _unknown_equipment(plant: Plant) -> Iterator[Problem]:
    for i, area in enumerate(plant.areas):
        for j, point in enumerate(area.risk_points):
            if point.equipment is None:
                continue
            path = f"areas[{i}].risk_points[{j}].equipment"
            machine = plant.equipment_by_code.get(point.equipment.upper())
            if machine is None:
                yield path, f"unknown equipment {point.equipment!r}"
            elif machine.area != area.id:
                yield path, f"{machine.code!r} is in area {machine.area!r}, not {area.id!r}"


def _checklist_problems(plant: Plant) -> Iterator[Problem]:
    for kind, items in plant.checklists.items():
        if not items:
            yield f"checklists.{kind}", "has no items (list them, or remove the type)"
        yield from _repeats(f"checklists.{kind}", "item", (item.id for item in items))
    if not plant.checklists:
        return  # no templates at all: rounds ask about the risk points' measures only
    for i, area in enumerate(plant.areas):
        if area.type not in plant.checklists:
            known = ", ".join(plant.checklists)
            yield (f"areas[{i}].type",
                   f"no checklist for area type {area.type!r} (checklists has: {known})")


def _classes_set_too_low(plant: Plant) -> Iterator[Problem]:
    for i, area in enumerate(plant.areas):
        implied = class_for(area.risk_points, plant.risk_grading)
        if not (area.class_by_hand and is_lower(area.risk_class, implied)):
            continue
        top = max(area.risk_points, key=lambda p: p.d)
        level = top.level(plant.risk_grading)
        yield (
            f"areas[{i}].risk_class",
            f"warning: class {area.risk_class} is lower than its risk points call for: "
            f"{top.id!r} is {level} (D {format_d(top.d)}), which makes class "
            f"{CLASS_OF_LEVEL[level]}; the area would be inspected less often than its "
            "risks require (raise risk_class, or remove it to follow the risk points)",
        )


def _unassessed_areas(plant: Plant) -> Iterator[Problem]:
    for i, area in enumerate(plant.areas):
        if not area.risk_points and not area.class_by_hand:
            yield (
                f"areas[{i}]",
                f"warning: {area.id!r} has no risk points and no risk_class, so it is taken "
                "as class C (list its risk points, or write risk_class)",
            )

"""What is wrong with plant.yaml's `inspections`: unreadable plans and windows, inspectors who
are not safety staff, areas nobody holds, checkpoints of another area, by YAML path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from core.checkin import checkin_problems
from core.plant import Role
from core.round_settings import InspectionSettings, parse_schedule, parse_window
from core.rounds import CLASS_PLAN, checkpoints_of

if TYPE_CHECKING:
    from core.plant import Plant

Problem = tuple[str, str]
# Who may hold rounds: they check in at checkpoints and answer for what they find.
INSPECTOR_ROLES = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER)
_SECTION = "inspections"


def round_problems(plant: Plant) -> Iterator[Problem]:
    settings = plant.inspections
    if settings is None:
        return
    yield from _readings(settings)
    yield from checkin_problems(settings, _SECTION)
    yield from _inspectors(plant, settings)
    yield from _areas(plant, settings)
    yield from _special_plans(plant, settings)


def _readings(settings: InspectionSettings) -> Iterator[Problem]:
    readers: dict[str, Callable[[], object]] = {
        f"{_SECTION}.window": lambda: settings.default_window,
        f"{_SECTION}.remind_before": lambda: settings.remind,
        f"{_SECTION}.announce_at": lambda: settings.announce_time,
    }
    readers |= {f"{_SECTION}.classes.{risk_class}": _schedule_reader(days)
                for risk_class, days in settings.classes.items()}
    for path, read in readers.items():
        try:
            read()
        except ValueError as exc:
            yield path, str(exc)
            continue
        if path.endswith("remind_before") and settings.remind <= timedelta(0):
            yield path, f"must be longer than zero, got {settings.remind_before!r}"


def _schedule_reader(days: str | tuple[str, ...]) -> Callable[[], object]:
    return lambda: parse_schedule(days)


def _inspectors(plant: Plant, settings: InspectionSettings) -> Iterator[Problem]:
    holder: dict[str, str] = {}
    for person_id, areas in settings.inspectors.items():
        path = f"{_SECTION}.inspectors.{person_id}"
        yield from _inspector(plant, path, person_id)
        for i, area in enumerate(areas):
            if area not in plant.areas_by_id:
                yield f"{path}[{i}]", f"unknown area {area!r}"
            elif area in holder:
                yield (f"{path}[{i}]", f"area {area!r} is already held by {holder[area]!r}: "
                       "an area has one inspector")
            else:
                holder[area] = person_id


def _inspector(plant: Plant, path: str, person_id: str) -> Iterator[Problem]:
    person = plant.person(person_id)
    if person is None:
        yield path, f"unknown person {person_id!r}"
    elif not person.has(*INSPECTOR_ROLES):
        yield path, (f"{person_id!r} cannot hold inspection rounds: an inspector must be a "
                     "safety_officer or the safety_manager")


def _areas(plant: Plant, settings: InspectionSettings) -> Iterator[Problem]:
    """Every area with a class plan needs an inspector and a checkpoint to check in at."""
    for i, area in enumerate(plant.areas):
        try:
            never = settings.schedule(area.risk_class).never
        except ValueError:
            continue  # said at its class
        if never:
            continue
        if settings.inspector_of(area.id) is None:
            yield (f"{_SECTION}.inspectors", f"nobody holds area {area.id!r} (class "
                   f"{area.risk_class}): list it under a safety officer")
        if not checkpoints_of(plant, area.id):
            yield (f"areas[{i}]", f"{area.id!r} has rounds (class {area.risk_class}) but no "
                   "checkpoint to check in at: add one under checkpoints")


def _special_plans(plant: Plant, settings: InspectionSettings) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, plan in enumerate(settings.special):
        path = f"{_SECTION}.special[{i}]"
        if plan.id == CLASS_PLAN or plan.id in seen:
            yield f"{path}.id", f"the plan id {plan.id!r} is taken: choose another"
        seen.add(plan.id)
        if plan.area not in plant.areas_by_id:
            yield f"{path}.area", f"unknown area {plan.area!r}"
        elif not plan.checkpoints and not checkpoints_of(plant, plan.area):
            yield f"{path}.checkpoints", f"area {plan.area!r} has no checkpoint: name one"
        for j, checkpoint in enumerate(plan.checkpoints):
            found = next((c for c in plant.checkpoints if c.id == checkpoint), None)
            if found is None:
                yield f"{path}.checkpoints[{j}]", f"unknown checkpoint {checkpoint!r}"
            elif found.area != plan.area:
                yield (f"{path}.checkpoints[{j}]",
                       f"{checkpoint!r} is in area {found.area!r}, not {plan.area!r}")
        for j, written in enumerate(plan.times):
            try:
                parse_window(written)
            except ValueError as exc:
                yield f"{path}.times[{j}]", str(exc)
        try:
            parse_schedule(plan.days)
        except ValueError as exc:
            yield f"{path}.days", str(exc)
        if plan.inspector is not None:
            yield from _inspector(plant, f"{path}.inspector", plan.inspector)
        elif plan.area in plant.areas_by_id and settings.inspector_of(plan.area) is None:
            yield f"{path}.inspector", f"nobody holds area {plan.area!r}: name an inspector"

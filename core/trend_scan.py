"""Use cases of the trend warnings: find them as of an instant, keep the night's once, and
add the special inspection plan a safety manager asks for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.plant import Plant, Role
from core.ports import Clock, UnitOfWork
from core.round_settings import SpecialPlan
from core.trends import HOUR, TrendBook, TrendWarned, TrendWarning, is_news, plan_id, run_hours


def find_warnings(book: TrendBook, plant: Plant, now: datetime) -> list[TrendWarning]:
    """The warnings the data gives as of `now`: the window ends at `now`."""
    settings = plant.trends
    window = settings.window_span
    since, window_from = now - settings.lookback_span, now - window
    day = now.astimezone(ZoneInfo(plant.timezone)).date()
    found = []
    for cluster in book.clusters(since=since, window_from=window_from, until=now,
                                 min_count=settings.min_count):
        times = book.occurrences(cluster.equipment, cluster.category, since=window_from,
                                 until=now)
        periods = book.run_periods(cluster.equipment, since=window_from, until=now)
        found.append(TrendWarning(
            equipment=cluster.equipment, category=cluster.category, window_end=day,
            count=cluster.count, window_days=window.days,
            run_hours_before=run_hours(periods, times),
            long_run_hours=settings.long_run_span / HOUR, created_at=now,
        ))
    return sorted(found, key=lambda w: (-w.count, w.equipment, w.category))


def scan_trends(*, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[TrendWarning]:
    """Keep tonight's warnings (each once) and mark the day scanned; returns those kept now.
    New or grown clusters are announced (`TrendWarned`)."""
    now = clock.now()
    day = now.astimezone(ZoneInfo(plant.timezone)).date()
    book = uow.trends
    kept = []
    for warning in find_warnings(book, plant, now):
        previous = book.previous(warning.equipment, warning.category, before=day)
        stored = book.add_if_absent(warning)
        if stored is None:
            continue
        kept.append(stored)
        if is_news(stored, previous):
            assert stored.id is not None
            uow.record(TrendWarned(stored.id))
    book.mark_scanned(day, now)
    return kept


@dataclass(frozen=True)
class PlanOutcome:
    """What pressing "add a special inspection plan" did, for the reply."""

    kind: str  # added, exists, not_allowed, unknown, no_rounds, no_area, no_inspector
    plan: SpecialPlan | None = None


def add_watch_plan(*, uow: UnitOfWork, plant: Plant, clock: Clock, person: str,
                   warning_id: int) -> PlanOutcome:
    """A safety manager's press: a special plan over the machine's area, at the trend
    settings' times. Re-checked on every press; a replay finds the plan already there."""
    who = plant.person(person)
    if who is None or not who.has(Role.SAFETY_MANAGER):
        return PlanOutcome("not_allowed")
    warning = uow.trends.get(warning_id)
    if warning is None:
        return PlanOutcome("unknown")
    settings = plant.inspections
    if settings is None:
        return PlanOutcome("no_rounds")
    machine = plant.equipment_by_code.get(warning.equipment.upper())
    if machine is None:
        return PlanOutcome("no_area")
    if settings.inspector_of(machine.area) is None:
        return PlanOutcome("no_inspector")
    category = plant.categories_by_id.get(warning.category)
    plan = SpecialPlan(
        id=plan_id(warning.equipment, warning.category), area=machine.area,
        times=plant.trends.plan_times,
        name=f"{machine.code} {category.label('zh-CN') if category else warning.category}",
        name_en=f"{machine.code} {category.label('en') if category else warning.category}",
    )
    now = clock.now()
    if not uow.trends.add_plan(plan, warning=warning_id, by=person, at=now):
        return PlanOutcome("exists", plan)
    uow.audit.append(at=now, actor=person, action="TrendPlanAdded", subject=plan.id,
                     data={"warning": warning_id, "area": plan.area,
                           "times": list(plan.times)})
    return PlanOutcome("added", plan)

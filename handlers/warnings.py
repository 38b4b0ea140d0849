"""Trend warnings in chat: the safety managers are told of a new one (with the button that
adds a special inspection plan), `/warnings` lists the current ones, and the button's press
is re-checked (safety manager only; a replay finds the plan there).

The sentence of a warning is composed here from catalog strings, so `safetyloop warnings`
prints the same words in the plant's language.
"""

from __future__ import annotations

from collections.abc import Callable

from core.buttons import WatchButton, encode
from core.plant import Person, Plant, Role
from core.ports import UnitOfWork
from core.trend_scan import add_watch_plan
from core.trends import TrendWarned, TrendWarning
from handlers import render
from handlers.context import ButtonSpec, Notifier, Services, Turn
from handlers.i18n import t

# Who reads the plant's trends and health index: safety staff, the plant manager, heads.
READERS = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER, Role.PLANT_MANAGER, Role.DEPARTMENT_HEAD)


def may_read(person: Person) -> bool:
    return person.has(*READERS)


def _hours(value: float) -> str:
    return f"{value:g}"


def span(lang: str, days: int) -> str:
    """90 days read as "3 months", as people say it; other windows in days."""
    if days >= 30 and days % 30 == 0:
        return t(lang, "trends.span.months", n=days // 30)
    return t(lang, "trends.span.days", n=days)


def message(plant: Plant, warning: TrendWarning, lang: str) -> str:
    """E.g. "CNC-07 冷却液泄漏：3 个月 7 次，均发生在连续运行超过 10 小时后"."""
    runs = ""
    if warning.mostly_after_long_runs:
        hours = _hours(warning.long_run_hours)
        long = warning.after_long_runs
        runs = (t(lang, "trends.runs.all", hours=hours) if long == warning.count
                else t(lang, "trends.runs.most", hours=hours, long=long))
    return t(lang, "trends.message", equipment=warning.equipment,
             category=render.category_name(plant, warning.category, lang),
             span=span(lang, warning.window_days), count=warning.count, runs=runs)


def watch_button(warning: TrendWarning) -> list[ButtonSpec]:
    assert warning.id is not None
    return [("button.trend_plan", encode(WatchButton(warning.id)))]


def subscribe(services: Services) -> None:
    services.events.subscribe(TrendWarned, _warned(services))


def _warned(services: Services) -> Callable[[TrendWarned, UnitOfWork], None]:
    def subscriber(event: TrendWarned, uow: UnitOfWork) -> None:
        warning = uow.trends.get(event.warning)
        if warning is None:
            raise LookupError(f"event about an unknown trend warning: {event!r}")
        notify = Notifier(services, uow)
        plant = services.plant
        for manager in plant.with_role(Role.SAFETY_MANAGER):
            lang = notify.language(manager.id)
            notify.to_person(manager.id, "trends.card", buttons=watch_button(warning),
                             message=message(plant, warning, lang),
                             equipment=warning.equipment, times=len(plant.trends.plan_times))

    return subscriber


def warnings_command(turn: Turn) -> None:
    """/warnings: the warnings of the last nightly scan, most occurrences first; the safety
    manager gets the plan button under each."""
    if not may_read(turn.person):
        turn.reply("trends.not_allowed")
        return
    found = turn.uow.trends.latest()
    if not found:
        turn.reply("trends.none")
        return
    lines = [t(turn.lang, "trends.line", n=n, message=message(turn.plant, w, turn.lang))
             for n, w in enumerate(found, 1)]
    buttons: list[ButtonSpec] = []
    if turn.person.has(Role.SAFETY_MANAGER):
        buttons = [spec for w in found[:6] for spec in watch_button(w)]  # WeCom shows six
    turn.reply("trends.list", day=found[0].window_end.isoformat(),
               days=found[0].window_days, lines="\n".join(lines), buttons=buttons)


def press_watch(turn: Turn, pressed: WatchButton) -> None:
    plant = turn.plant
    outcome = add_watch_plan(uow=turn.uow, plant=plant, clock=turn.services.clock,
                             person=turn.person.id, warning_id=pressed.warning)
    if outcome.kind == "unknown":
        turn.reply("button.stale")
        return
    if outcome.kind == "no_area":
        warning = turn.uow.trends.get(pressed.warning)
        turn.reply("trends.plan.no_area", equipment=warning.equipment if warning else "")
        return
    plan = outcome.plan
    if plan is None:
        turn.reply(f"trends.plan.{outcome.kind}")
        return
    turn.reply(f"trends.plan.{outcome.kind}", plan=plan.label(turn.lang),
               area=render.area_name(plant, plan.area, turn.lang), times="、".join(plan.times)
               if turn.lang != "en" else ", ".join(plan.times))

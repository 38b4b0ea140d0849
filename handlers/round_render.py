"""Texts about inspection rounds, composed from catalog strings in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.inspections import Round, RoundState
from core.plant import Plant
from core.rounds import CLASS_PLAN
from core.trends import watched
from handlers import render
from handlers.i18n import t


def title(plant: Plant, round_: Round, lang: str) -> str:
    """The area, and a special plan's name after it."""
    area = render.area_name(plant, round_.area, lang)
    if round_.plan == CLASS_PLAN or plant.inspections is None:
        return area
    plan = next((p for p in plant.inspections.special if p.id == round_.plan), None)
    return f"{area} · {plan.label(lang) if plan else _added_plan(plant, round_.plan, lang)}"


def _added_plan(plant: Plant, plan: str, lang: str) -> str:
    """A plan added at run time from a trend warning (core/trend_scan.py) is named by the
    machine it watches and why, read from its id: `trend-CNC-07-coolant_leak` reads
    "CNC-07 重点监控（冷却液泄漏）"."""
    found = watched(plan, plant.categories_by_id)
    if found is None:
        return plan
    equipment, category = found
    if category is None:
        return t(lang, "round.watch_machine", equipment=equipment)
    return t(lang, "round.watch_plan", equipment=equipment,
             category=render.category_name(plant, category, lang))


def window(plant: Plant, round_: Round) -> str:
    """08:00–17:00 in the plant's zone; a window into the next day says which day it ends."""
    zone = ZoneInfo(plant.timezone)
    opens, closes = round_.opens_at.astimezone(zone), round_.closes_at.astimezone(zone)
    end = f"{closes:%H:%M}" if closes.date() == opens.date() else f"{closes:%m-%d %H:%M}"
    return f"{opens:%H:%M}–{end}"


def span(lang: str, left: timedelta) -> str:
    """Time left as hours and minutes, rounded down to the minute."""
    minutes = max(int(left.total_seconds() // 60), 0)
    return t(lang, "round.span", hours=minutes // 60, minutes=minutes % 60)


def checkpoints(lang: str, items: Iterable[str]) -> str:
    return t(lang, "round.joiner").join(items) or "-"


def line(plant: Plant, round_: Round, lang: str) -> str:
    """One round in a list: its window, what it covers and its checkpoints."""
    return t(lang, "rounds.line", window=window(plant, round_), title=title(plant, round_, lang),
             checkpoints=checkpoints(lang, round_.checkpoints))


def state(lang: str, value: RoundState) -> str:
    return t(lang, f"round.state.{value}")


def status(plant: Plant, round_: Round, lang: str, now: datetime) -> str:
    """Before the window: when it opens; in it: the time left; after: the state it closed in."""
    if round_.state is not RoundState.OPEN:
        return state(lang, round_.state)
    if now < round_.opens_at:
        zone = ZoneInfo(plant.timezone)
        return t(lang, "round.status.upcoming", opens=f"{round_.opens_at.astimezone(zone):%H:%M}")
    if now < round_.closes_at:
        return t(lang, "round.status.open", left=span(lang, round_.closes_at - now))
    return t(lang, "round.status.closing")

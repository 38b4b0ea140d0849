"""/round: my inspection rounds today, each checkpoint done (✅) or not (⬜), the window and the
time left; /rounds: this week's coverage per area (on time, late, partly done, missed) for
safety staff, `/rounds 2026-W49` for another week."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from core.plant import Person, Plant, Role
from core.round_coverage import (
    RoundResult,
    coverage,
    parse_week,
    results,
    totals,
    week_bounds,
    week_name,
    week_of,
)
from core.round_progress import Outcome
from core.round_settings import InspectionSettings
from core.rounds import day_start, plant_day
from handlers import render, round_render
from handlers.context import Turn
from handlers.i18n import t

COVERAGE_ROLES = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER, Role.ADMIN)
INSPECTOR_ROLES = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER)


def holds_rounds(plant: Plant, person: Person) -> bool:
    """Whether /help offers /round: safety staff, or anyone a plan names as inspector."""
    settings = plant.inspections
    return person.has(*INSPECTOR_ROLES) or (
        settings is not None and _named_inspector(settings, person.id))


def _named_inspector(settings: InspectionSettings, person: str) -> bool:
    return person in settings.inspectors or any(p.inspector == person for p in settings.special)


def may_see_coverage(person: Person) -> bool:
    return person.has(*COVERAGE_ROLES)


def my_rounds(turn: Turn) -> None:
    plant, now = turn.plant, turn.services.clock.now()
    today = plant_day(plant, now)
    mine = turn.uow.rounds.for_person(turn.person.id, day_start(plant, today),
                                      day_start(plant, today + timedelta(days=1)))
    if not mine:
        turn.reply("round.none")
        return
    cards = "\n\n".join(_card(turn, result, now) for result in results(turn.uow, mine, now))
    turn.reply("round.today", date=today.isoformat(), rounds=cards)


def _card(turn: Turn, result: RoundResult, now: datetime) -> str:
    plant, lang, round_ = turn.plant, turn.lang, result.round
    marks = "\n".join(f"{'✅' if c in result.done else '⬜'} {c}" for c in round_.checkpoints)
    return turn.text(
        "round.card", title=round_render.title(plant, round_, lang),
        window=round_render.window(plant, round_),
        status=round_render.status(plant, round_, lang, now), done=len(result.done),
        total=len(round_.checkpoints), checkpoints=marks,
    )


def coverage_report(turn: Turn) -> None:
    if not may_see_coverage(turn.person):
        turn.reply("rounds.not_allowed")
        return
    now, wanted = turn.services.clock.now(), turn.event.args.strip()
    try:
        year, week = parse_week(wanted) if wanted else week_of(turn.plant, now)
    except ValueError:
        turn.reply("rounds.usage")
        return
    key, values = coverage_text(turn.plant, turn.lang, year, week,
                                _results(turn, year, week, now))
    event = turn.event
    turn.notify.to_chat(event.channel, event.chat, turn.lang, key, person=turn.person.id,
                        values=values)


def _results(turn: Turn, year: int, week: int, now: datetime) -> list[RoundResult]:
    since, until = week_bounds(turn.plant, year, week)
    return results(turn.uow, turn.uow.rounds.between(since, until), now)


def coverage_text(plant: Plant, lang: str, year: int, week: int,
                  found: list[RoundResult]) -> tuple[str, dict[str, str]]:
    """The coverage message as a catalog key and its values (the CLI prints the same text)."""
    name = week_name(year, week)
    if not found:
        return "rounds.none", {"week": name}
    since, until = week_bounds(plant, year, week)
    areas = coverage(plant, found)
    lines = "\n".join(
        t(lang, "rounds.area", area=render.area_name(plant, a.area, lang),
          risk_class=_risk_class(plant, a.area), counts=_counts(lang, a.counts))
        for a in areas
    )
    return "rounds.coverage", {
        "week": name, "first": since.date().isoformat(),
        "last": (until - timedelta(days=1)).date().isoformat(), "areas": lines,
        "total": _counts(lang, totals(areas)),
    }


def _risk_class(plant: Plant, area: str) -> str:
    found = plant.areas_by_id.get(area)
    return str(found.risk_class) if found else "-"


def _counts(lang: str, counts: Counter[Outcome]) -> str:
    return t(lang, "rounds.counts", rounds=sum(counts.values()),
             **{outcome.value: counts[outcome] for outcome in Outcome})

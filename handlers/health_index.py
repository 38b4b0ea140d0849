"""/index [YYYY-MM]: the departments ranked by their safety health index (core/health_index.py)
with the change on the month before, as text and as a bar chart the delivery worker draws
(the ranking chart's style, reports/ranking_chart.py), outside this transaction."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.health_index import IndexScore, previous_month
from core.kpi import parse_month
from core.pictures import BarChart
from core.plant import Plant
from handlers.context import Turn
from handlers.i18n import t
from handlers.warnings import may_read


def index_command(turn: Turn) -> None:
    if not may_read(turn.person):
        turn.reply("index.not_allowed")
        return
    now = turn.services.clock.now()
    args = turn.event.args.strip()
    if args:
        try:
            year, month = parse_month(args)
        except ValueError:
            turn.reply("index.usage")
            return
    else:
        today = now.astimezone(ZoneInfo(turn.plant.timezone))
        year, month = today.year, today.month
    show(turn, year, month)


def ranked(scores: dict[str, IndexScore]) -> list[IndexScore]:
    """Healthiest first; ties in plant.yaml's order (dicts keep it)."""
    return sorted(scores.values(), key=lambda s: -s.index)


def change(lang: str, now: float, before: IndexScore | None) -> str:
    if before is None:
        return t(lang, "index.change.none")
    return t(lang, "index.change.value", delta=f"{now - before.index:+.1f}")


def department_name(plant: Plant, department: str, lang: str) -> str:
    found = plant.departments_by_id.get(department)
    return found.label(lang) if found else department


def show(turn: Turn, year: int, month: int) -> None:
    plant, lang, now = turn.plant, turn.lang, turn.services.clock.now()
    label = f"{year:04d}-{month:02d}"
    scores = turn.uow.health_index.breakdown(plant, year, month, as_of=now)
    if not scores:
        turn.reply("index.nothing", month=label)
        return
    before = turn.uow.health_index.breakdown(plant, *previous_month(year, month), as_of=now)
    order = ranked(scores)
    lines = [
        t(lang, "index.line", place=place, department=department_name(plant, s.department, lang),
          score=f"{s.index:.1f}", change=change(lang, s.index, before.get(s.department)))
        for place, s in enumerate(order, 1)
    ]
    heading = t(lang, "index.heading", month=label)
    chart = BarChart(
        heading,
        tuple(f"{place}. {department_name(plant, s.department, lang)}"
              f" ({change(lang, s.index, before.get(s.department))})"
              for place, s in enumerate(order, 1)),
        tuple(round(s.index) for s in order), subtitle=plant.name,
    )
    event = turn.event
    turn.notify.to_chat(event.channel, event.chat, lang, "index.board", person=turn.person.id,
                        picture=chart, values={"heading": heading, "lines": "\n".join(lines)})

"""/risk: the risk register (风险分级管控) for everyone — `/risk` lists the areas with their
class, `/risk AREA` (id or name, any case) shows the area's risk points, their level, D value
and control measures, highest risk first."""

from __future__ import annotations

from core.plant import Area
from core.risk import RiskLevel, RiskPoint, format_d
from handlers.context import Turn

# The four colours of the Chinese risk map (四色图); an area with no risk points has none.
LEVEL_EMOJI = {
    RiskLevel.RED: "🔴",
    RiskLevel.ORANGE: "🟠",
    RiskLevel.YELLOW: "🟡",
    RiskLevel.BLUE: "🔵",
}
NO_LEVEL = "⚪"
# What is echoed back of an unknown area: enough to spot a typo, never a wall of text.
ECHO_AT_MOST = 30


def risk(turn: Turn) -> None:
    wanted = turn.event.args.strip()
    if not turn.plant.areas:
        turn.reply("risk.no_areas")
    elif not wanted:
        turn.reply("risk.list", lines="\n".join(_area_line(turn, a) for a in turn.plant.areas))
    elif (area := find_area(turn.plant.areas, wanted)) is None:
        turn.reply("risk.unknown_area", wanted=wanted[:ECHO_AT_MOST],
                   ids=", ".join(a.id for a in turn.plant.areas))
    else:
        turn.reply("risk.area", area=area.label(turn.lang), id=area.id,
                   risk_class=area.risk_class, points=_points(turn, area),
                   how=turn.text("risk.by_hand" if area.class_by_hand else "risk.derived"))


def find_area(areas: tuple[Area, ...], wanted: str) -> Area | None:
    """The area a person means by its id or either name, whatever the case."""
    key = wanted.strip().casefold()
    return next((a for a in areas if key in (a.id.casefold(), a.name.casefold(),
                                             a.name_en.casefold())), None)


def _top_emoji(turn: Turn, area: Area) -> str:
    top = max(area.risk_points, key=lambda p: p.d, default=None)
    return LEVEL_EMOJI[top.level(turn.plant.risk_grading)] if top else NO_LEVEL


def _area_line(turn: Turn, area: Area) -> str:
    return turn.text("risk.list_line", emoji=_top_emoji(turn, area), risk_class=area.risk_class,
                     area=area.label(turn.lang), id=area.id, count=len(area.risk_points))


def _points(turn: Turn, area: Area) -> str:
    if not area.risk_points:
        return turn.text("risk.no_points")
    highest_first = sorted(area.risk_points, key=lambda p: p.d, reverse=True)
    return "\n\n".join(_point(turn, p) for p in highest_first)


def _point(turn: Turn, point: RiskPoint) -> str:
    level = point.level(turn.plant.risk_grading)
    machine = turn.text("risk.equipment", code=point.equipment) if point.equipment else ""
    head = turn.text(
        "risk.point", emoji=LEVEL_EMOJI[level], id=point.id, hazard=point.label(turn.lang),
        level=turn.text(f"risk.level.{level}"), d=format_d(point.d), l=format_d(point.l),
        e=format_d(point.e), c=format_d(point.c), equipment=machine,
    )
    measures = [turn.text("risk.measure", measure=m.label(turn.lang)) for m in point.measures]
    return "\n".join([head, *measures])

"""Which rounds a plant day has: pure generation from the plans in plant.yaml's `inspections`.

A class plan gives each area with an inspector one round on the days its class is due
(A daily, B every two days from the anchor, C on Monday and Thursday by default), over all
its checkpoints, in the section's window; a special plan gives a round per window it names.
Windows are in the plant's time zone and stored in UTC. Each round carries a copy of its
deadline policy, as tickets do: reminded `remind_before` its close, and when missed told
once to the safety manager (one rung, never repeated).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.deadline import DeadlinePolicy, Rung
from core.inspections import Round
from core.plant import Area, Plant, Role
from core.reminder_settings import QuietHours
from core.round_settings import InspectionSettings, SpecialPlan, parse_schedule, parse_window

# The plan id of an area's class plan; special plans have their own ids. An area whose
# class changes keeps the same plan id, so a day generated twice never doubles its round.
CLASS_PLAN = "class"
# The names of a round's windows in its policy.
ROUND_WINDOW = "round"
REMIND_BEFORE = "remind_before"
# Who hears of a missed round: one rung above the inspector, told once.
MISSED_LADDER = (Rung(Role.SAFETY_MANAGER),)


def plant_day(plant: Plant, instant: datetime) -> date:
    return instant.astimezone(ZoneInfo(plant.timezone)).date()


def day_start(plant: Plant, day: date) -> datetime:
    """Midnight at the start of a plant day, as an aware instant."""
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(plant.timezone))


def window_on(plant: Plant, day: date, window: QuietHours) -> tuple[datetime, datetime]:
    """A window of the plant's day as instants in UTC; one past midnight closes the day after."""
    zone = ZoneInfo(plant.timezone)
    opens = datetime.combine(day, window.start, tzinfo=zone)
    closes_day = day if window.end > window.start else day + timedelta(days=1)
    closes = datetime.combine(closes_day, window.end, tzinfo=zone)
    return opens.astimezone(UTC), closes.astimezone(UTC)


def round_policy(settings: InspectionSettings, opens_at: datetime,
                 closes_at: datetime) -> DeadlinePolicy:
    """What a round copies when it is generated; `remind_share` says the same as
    `remind_before` for tools that read shares."""
    span = closes_at - opens_at
    before = settings.remind
    share = max(0.0, min(1.0, 1 - before / span)) if span > timedelta(0) else 0.0
    return DeadlinePolicy({ROUND_WINDOW: span, REMIND_BEFORE: before}, MISSED_LADDER,
                          remind_share=share, repeat=None)


def new_round(plant: Plant, settings: InspectionSettings, *, plan: str, area: str,
              assignee: str, window: tuple[datetime, datetime],
              checkpoints: tuple[str, ...]) -> Round:
    """A round as it opens: due when its window closes, reminded `remind_before` that, or not
    at all when that falls before it opens."""
    opens_at, closes_at = window
    policy = round_policy(settings, opens_at, closes_at)
    remind_at = closes_at - settings.remind
    return Round(
        plan=plan, area=area, assignee=assignee, opens_at=opens_at, closes_at=closes_at,
        checkpoints=checkpoints, policy=policy, due_at=closes_at,
        remind_at=remind_at if remind_at > opens_at else None,
    )


def checkpoints_of(plant: Plant, area: str) -> tuple[str, ...]:
    return tuple(c.id for c in plant.checkpoints if c.area == area)


def rounds_on(plant: Plant, day: date, added: Sequence[SpecialPlan] = ()) -> list[Round]:
    """Every round the plans give a plant day, class plans first, in plant.yaml's order;
    `added` are special plans added at run time (a trend warning's button), after them."""
    settings = plant.inspections
    if settings is None:
        return []
    return [*_class_rounds(plant, settings, day),
            *_special_rounds(plant, settings, day, added)]


def _class_rounds(plant: Plant, settings: InspectionSettings, day: date) -> Iterator[Round]:
    window = window_on(plant, day, settings.default_window)
    for area in plant.areas:
        inspector = settings.inspector_of(area.id)
        checkpoints = checkpoints_of(plant, area.id)
        if inspector is None or not checkpoints or not _due(settings, area, day):
            continue
        yield new_round(plant, settings, plan=CLASS_PLAN, area=area.id, assignee=inspector,
                        window=window, checkpoints=checkpoints)


def _due(settings: InspectionSettings, area: Area, day: date) -> bool:
    return settings.schedule(area.risk_class).falls_on(day, settings.anchor)


def _special_rounds(plant: Plant, settings: InspectionSettings, day: date,
                    added: Sequence[SpecialPlan]) -> Iterator[Round]:
    for plan in (*settings.special, *added):
        inspector = plan.inspector or settings.inspector_of(plan.area)
        checkpoints = plan.checkpoints or checkpoints_of(plant, plan.area)
        if inspector is None or not checkpoints:
            continue
        if not parse_schedule(plan.days).falls_on(day, settings.anchor):
            continue
        for written in plan.times or (settings.window,):
            yield new_round(plant, settings, plan=plan.id, area=plan.area, assignee=inspector,
                            window=window_on(plant, day, parse_window(written)),
                            checkpoints=checkpoints)


def fingerprint(rounds: list[Round]) -> str:
    """What a day's plans give, in a few characters: a day generated under other plans (an
    edited plant.yaml) is generated again, which adds only the rounds it lacks."""
    lines = sorted(
        f"{r.plan}|{r.area}|{r.assignee}|{r.opens_at.isoformat()}|{r.closes_at.isoformat()}|"
        f"{','.join(r.checkpoints)}"
        for r in rounds
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:32]

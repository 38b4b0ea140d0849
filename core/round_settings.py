"""plant.yaml's `inspections`: how often each class of area is inspected, in which window of
the plant's day, who holds which areas, and special plans (a monitored machine twice a day).

Written as people say it (`daily`, `every 2 days`, `[mon, thu]`, `08:00-17:00`) and read
through the properties below, which are valid once `core.round_checks` found no problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from core.durations import parse_duration
from core.reminder_settings import QuietHours, parse_quiet_hours, parse_time
from core.risk import RiskClass

Days = str | tuple[str, ...]

# The plan of a class area that plant.yaml leaves out: A daily, B every two days, C twice a
# week on Monday and Thursday.
DEFAULT_CLASSES: Mapping[RiskClass, Days] = {
    RiskClass.A: "daily", RiskClass.B: "every 2 days", RiskClass.C: ("mon", "thu"),
}
# "Every two days" counts from this Monday, so a restart (or a second process) never shifts
# it; plant.yaml may name another day.
ANCHOR = date(2024, 1, 1)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EVERY = re.compile(r"every\s+(\d+)\s*(?:days?|d)")


@dataclass(frozen=True)
class Schedule:
    """On which days of the plant a plan has rounds: every `every` days counted from the
    anchor, or on the given weekdays (Monday is 0); `every` 0 means never."""

    every: int = 1
    weekdays: frozenset[int] = frozenset()

    @property
    def never(self) -> bool:
        return not self.weekdays and self.every == 0

    def falls_on(self, day: date, anchor: date) -> bool:
        if self.weekdays:
            return day.weekday() in self.weekdays
        return self.every > 0 and (day - anchor).days % self.every == 0


def parse_schedule(value: Days) -> Schedule:
    """`daily`, `every 2 days`, `none`, or weekdays (`[mon, thu]` or "mon, thu")."""
    words = value if isinstance(value, tuple) else (value,)
    text = " ".join(words).strip().lower()
    if text in ("daily", "every day"):
        return Schedule()
    if text in ("none", "never"):
        return Schedule(every=0)
    if found := _EVERY.fullmatch(text):
        every = int(found.group(1))
        if every < 1:
            raise ValueError(f"every 0 days is never: write none, got {value!r}")
        return Schedule(every=every)
    names = [name for word in words for name in re.split(r"[\s,]+", word.strip().lower()) if name]
    days = {_weekday(name) for name in names}
    if not days or None in days:
        raise ValueError(
            f"not a schedule: {value!r} (write daily, every 2 days, none, or weekdays "
            "such as [mon, thu])"
        )
    return Schedule(weekdays=frozenset(d for d in days if d is not None))


def _weekday(name: str) -> int | None:
    for names in (WEEKDAYS, _FULL_NAMES):
        if name in names:
            return names.index(name)
    return None


def parse_window(value: str) -> QuietHours:
    """A window of the plant's day, `08:00-17:00`; one running past midnight closes the next
    day."""
    return parse_quiet_hours(value)


@dataclass(frozen=True)
class SpecialPlan:
    """Rounds of a few checkpoints beside the class plan, e.g. a monitored machine twice a
    day; `times` are its windows (the section's window when left out), `inspector` holds it
    (else the area's inspector)."""

    id: str
    area: str
    checkpoints: tuple[str, ...] = ()  # empty: every checkpoint of the area
    times: tuple[str, ...] = ()
    days: Days = "daily"
    inspector: str | None = None
    name: str = ""
    name_en: str = ""

    def label(self, lang: str) -> str:
        if lang == "en" and self.name_en:
            return self.name_en
        return self.name or self.id


def _no_classes() -> dict[RiskClass, Days]:
    return {}


@dataclass(frozen=True)
class InspectionSettings:
    """As written in plant.yaml. `classes` overrides `DEFAULT_CLASSES` class by class;
    `inspectors` maps a safety officer (or manager) to the areas they hold."""

    window: str = "08:00-17:00"
    remind_before: str = "2h"
    announce_at: str | int = "07:30"
    anchor: date = ANCHOR
    classes: dict[RiskClass, Days] = field(default_factory=_no_classes)
    inspectors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    special: tuple[SpecialPlan, ...] = ()
    # A check-in (core/checkin.py): the phone's accuracy it needs, in metres, and how
    # recently its location must have been sent (a live location always counts as now).
    accuracy_m: float = 50.0
    fresh_within: str = "2m"

    def schedule(self, risk_class: RiskClass) -> Schedule:
        return parse_schedule(self.classes.get(risk_class, DEFAULT_CLASSES[risk_class]))

    @property
    def default_window(self) -> QuietHours:
        return parse_window(self.window)

    @property
    def remind(self) -> timedelta:
        return parse_duration(self.remind_before)

    @property
    def announce_time(self) -> time:
        return parse_time(self.announce_at)

    @property
    def fresh(self) -> timedelta:
        return parse_duration(self.fresh_within)

    def inspector_of(self, area: str) -> str | None:
        """Who holds the area's rounds (the first, should the file name two)."""
        return next((person for person, areas in self.inspectors.items() if area in areas),
                    None)

"""Injuries recorded by the safety manager (/incident), and the figures drawn from them.

The rates are the usual ones: LTIFR counts lost-time injuries per million hours worked,
TRIR recordable injuries per 200,000 hours (100 people for a year). A lost-time injury is
also a recordable one, as OSHA counts it; first aid is neither. A safe day is a day without
a lost-time injury.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from core.plant import Plant, Role

MAX_LOST_DAYS = 3650  # more than ten years off work is a typing error
MAX_NAME = 100


class InjuryKind(StrEnum):
    FIRST_AID = "first_aid"
    RECORDABLE = "recordable"
    LOST_TIME = "lost_time"


# Which kinds each rate counts.
RECORDABLE_KINDS = (InjuryKind.RECORDABLE, InjuryKind.LOST_TIME)


@dataclass(frozen=True)
class Injury:
    day: date
    name: str  # the person's name as recorded: from the roster, or as typed
    department: str
    kind: InjuryKind
    lost_days: int
    recorded_by: str
    recorded_at: datetime
    person: str | None = None  # the roster id, when the injured person is on it


class InjuryBook(Protocol):
    """The injuries kept in the database."""

    def add(self, injury: Injury) -> None: ...
    def counts(self, *, first: date, last: date,
               department: str | None = None) -> dict[InjuryKind, int]:
        """Injuries of each kind from `first` to `last` (both included)."""
        ...
    def lost_time_days(self, *, first: date, last: date,
                       department: str | None = None) -> list[date]:
        """The distinct days with a lost-time injury in the range, in order."""
        ...
    def last_lost_time(self, *, on_or_before: date, department: str | None = None) -> date | None:
        ...


class InjuryRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def may_record(plant: Plant, person_id: str) -> bool:
    person = plant.person(person_id)
    return person is not None and person.has(Role.SAFETY_MANAGER)


def check_injury(plant: Plant, injury: Injury, today: date) -> None:
    """Raise InjuryRefused naming what is wrong; a conversation asks again before this."""
    if not may_record(plant, injury.recorded_by):
        raise InjuryRefused("not_allowed")
    if injury.day > today:
        raise InjuryRefused("future")
    if injury.department not in plant.departments_by_id:
        raise InjuryRefused("department")
    if not 0 <= injury.lost_days <= MAX_LOST_DAYS:
        raise InjuryRefused("lost_days")
    if injury.kind is not InjuryKind.LOST_TIME and injury.lost_days:
        raise InjuryRefused("lost_days")
    if not injury.name.strip() or len(injury.name) > MAX_NAME:
        raise InjuryRefused("name")


def per_hours(count: int, hours: float | None, scale: int) -> float | None:
    """Injuries per `scale` hours worked; None without hours."""
    if not hours:
        return None
    return count * scale / hours


def ltifr(counts: Mapping[InjuryKind, int], hours: float | None) -> float | None:
    return per_hours(counts.get(InjuryKind.LOST_TIME, 0), hours, 1_000_000)


def trir(counts: Mapping[InjuryKind, int], hours: float | None) -> float | None:
    return per_hours(sum(counts.get(kind, 0) for kind in RECORDABLE_KINDS), hours, 200_000)


def safe_days(last_lost_time: date | None, today: date) -> int | None:
    """Whole days since the last lost-time injury; None when none was ever recorded."""
    return (today - last_lost_time).days if last_lost_time is not None else None


def longest_safe_streak(lost_days: Iterable[date], first: date, last: date) -> int:
    """The most consecutive days from `first` to `last` (both included) without a lost-time
    injury; an injury's own day is not safe."""
    if last < first:
        return 0
    longest, start = 0, first
    for day in sorted(d for d in set(lost_days) if first <= d <= last):
        longest = max(longest, (day - start).days)
        start = day + timedelta(days=1)
    return max(longest, (last - start).days + 1)

"""Figures for the monthly report: how many report, and how many take part, by department.

A month is a calendar month in the plant's time zone. A person is an active reporter in a
month when at least one of their reports of that month was judged valid; a department's
participation is its active reporters over its headcount — the people plant.yaml lists in
it, by their own department or else their team's. The counting is the database's
(`ReportFigures`, storage/figures.py); this module says what is counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from core.plant import Plant


@dataclass(frozen=True)
class Month:
    """A calendar month in the plant's zone, as the instants [start, end) it spans."""

    year: int
    month: int
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def month_of(plant: Plant, year: int, month: int) -> Month:
    """The month as the plant lives it: from local midnight on the 1st to the next 1st."""
    if not 1 <= month <= 12:
        raise ValueError(f"no month {month}")
    zone = ZoneInfo(plant.timezone)
    following = (year + 1, 1) if month == 12 else (year, month + 1)
    return Month(year, month, datetime(year, month, 1, tzinfo=zone),
                 datetime(*following, 1, tzinfo=zone))


@dataclass(frozen=True)
class PersonMonth:
    """One person's reports of the month, and how many of them were judged valid."""

    person: str
    reports: int
    valid: int


@dataclass(frozen=True)
class DepartmentMonth:
    department: str
    headcount: int
    active: int

    @property
    def participation(self) -> float:
        """Active reporters over headcount, 0 to 1."""
        return self.active / self.headcount if self.headcount else 0.0


@dataclass(frozen=True)
class MonthFigures:
    month: Month
    # Everyone who reported in the month, the most reports first.
    people: tuple[PersonMonth, ...]
    reports: int
    active_reporters: int
    # The plant's headcount (everyone plant.yaml lists), and each department with people.
    headcount: int
    departments: tuple[DepartmentMonth, ...]

    @property
    def reports_per_person(self) -> float:
        """Reports of the month over the plant's headcount: the figure a pilot is judged by."""
        return self.reports / self.headcount if self.headcount else 0.0


class ReportFigures(Protocol):
    """Counts the month's reports in the database."""

    def monthly(self, month: Month, roster: Mapping[str, str], headcount: int) -> MonthFigures:
        """The month's figures; `roster` maps each person with a department to it, and
        `headcount` is everyone on the plant's list."""
        ...


def roster(plant: Plant) -> dict[str, str]:
    """Each person's department: their own, or else their team's; people with neither are
    left out of the departments' headcounts."""
    teams = plant.teams_by_id
    placed: dict[str, str] = {}
    for person in plant.people:
        team = teams.get(person.team or "")
        department = person.department or (team.department if team else None)
        if department:
            placed[person.id] = department
    return placed


def monthly_figures(figures: ReportFigures, plant: Plant, year: int, month: int) -> MonthFigures:
    """The figures of one month of the plant, for the monthly report."""
    return figures.monthly(month_of(plant, year, month), roster(plant), len(plant.people))

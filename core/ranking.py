"""Rankings by points earned: people, teams and departments, this month or all time.

What counts is what was earned (`EARNED`: awards net of revocations, and admins'
corrections, as the ledger's own ranking counts), never what was spent in the shop: buying
gloves must not cost a worker their place. A person's team and department are those
plant.yaml gives them now, so moving someone moves their points with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.ledger import EntryKind
from core.plant import Person, Plant

# The ledger entries a ranking sums.
EARNED = (EntryKind.AWARD, EntryKind.REVOKE, EntryKind.ADJUST)

# The top of a ranking that every reader sees; their own place is added when it is lower.
TOP = 10


class Board(StrEnum):
    """Who is ranked."""

    PEOPLE = "people"
    TEAMS = "teams"
    DEPARTMENTS = "departments"


class Period(StrEnum):
    """Which points count: those earned this calendar month (plant time), or all of them."""

    MONTH = "month"
    ALL = "all"


@dataclass(frozen=True)
class Standing:
    """One line of a ranking: its place (equal points, equal place), who, and their points."""

    place: int
    key: str
    points: int


@dataclass(frozen=True)
class Ranking:
    board: Board
    period: Period
    standings: tuple[Standing, ...]

    def top(self, most: int = TOP) -> tuple[Standing, ...]:
        return self.standings[:most]

    def of(self, key: str | None) -> Standing | None:
        return next((s for s in self.standings if s.key == key), None)


def since(period: Period, now: datetime, timezone: str) -> datetime | None:
    """The first instant that counts: midnight on the 1st of this month in the plant's zone
    (a worker in Suzhou's month starts at 16:00 UTC the day before); None for all time."""
    if period is Period.ALL:
        return None
    local = now.astimezone(ZoneInfo(timezone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def rank(
    plant: Plant, earned: Iterable[tuple[str, int]], board: Board, period: Period
) -> Ranking:
    """The ranking of `board` from each person's points earned in `period`; only those above
    zero are placed (a ranking of zeros says nothing)."""
    totals: dict[str, int] = {}
    for person, points in earned:
        key = person if board is Board.PEOPLE else unit_of(plant, person, board)
        if key is not None:
            totals[key] = totals.get(key, 0) + points
    return Ranking(board, period, standings(totals))


def standings(totals: Mapping[str, int]) -> tuple[Standing, ...]:
    """Most points first, ties in id order; tied entries share a place and the next place
    skips (1, 2, 2, 4), as sports tables do."""
    ordered = sorted(((k, v) for k, v in totals.items() if v > 0), key=lambda kv: (-kv[1], kv[0]))
    placed: list[Standing] = []
    for index, (key, points) in enumerate(ordered):
        tied = placed and placed[-1].points == points
        placed.append(Standing(placed[-1].place if tied else index + 1, key, points))
    return tuple(placed)


def unit_of(plant: Plant, person_id: str, board: Board) -> str | None:
    """The key a person counts under on `board`: themselves, their team or their department;
    None when plant.yaml gives them none (or no longer lists them)."""
    if board is Board.PEOPLE:
        return person_id
    person = plant.person(person_id)
    if person is None:
        return None
    return _team_of(plant, person) if board is Board.TEAMS else person.department


def _team_of(plant: Plant, person: Person) -> str | None:
    if person.team:
        return person.team
    # A lead whose own entry names no team still belongs to the team they lead.
    return next((team.id for team in plant.teams if team.lead == person.id), None)

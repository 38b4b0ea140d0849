"""Inspection rounds (巡检): what is due where and by whom, and what was found there.

A round is one visit of one area by its inspector within a window; it is generated from
the area's plan and timed by the deadline kit (reminded before its window closes, escalated
once when missed). A check-in proves presence at one checkpoint of the round (distance and
accuracy recorded); the checklist answers of a check-in say what was found, and a Not OK
answer opens a hazard ticket linked to the round and the risk point.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from core.deadline import DeadlinePolicy


class RoundState(StrEnum):
    OPEN = "open"  # its window has not closed yet
    COMPLETE = "complete"  # every checkpoint checked in and its checklist answered
    PARTIAL = "partial"  # the window closed with some checkpoints done
    MISSED = "missed"  # the window closed with none done


class Answer(StrEnum):
    OK = "ok"
    NOT_OK = "not_ok"
    NOT_APPLICABLE = "na"


@dataclass
class Round:
    """One visit of one area; (plan, area, opens_at) is unique, so generating twice is a no-op."""

    plan: str
    area: str
    assignee: str
    opens_at: datetime
    closes_at: datetime
    checkpoints: tuple[str, ...]
    state: RoundState = RoundState.OPEN
    id: int | None = None
    # The deadline kit's fields, as on tickets: the policy copied when the round opens.
    policy: DeadlinePolicy | None = None
    escalation_level: int = 0
    due_at: datetime | None = None
    remind_at: datetime | None = None
    finished_at: datetime | None = None


@dataclass(frozen=True)
class CheckIn:
    """Presence at one checkpoint of a round, with how far off and how sure the fix was."""

    round_id: int
    checkpoint: str
    person: str
    at: datetime
    lat: float
    lon: float
    distance_m: float
    accuracy_m: float | None = None
    # Supporting evidence only, never proof alone: e.g. a photo's EXIF position and time.
    evidence: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ChecklistAnswer:
    checkin_id: int
    item: str  # the item's text key: a risk point's measure or a template item
    answer: Answer
    risk_point: str | None = None
    ticket: str | None = None  # the ticket code a Not OK answer opened
    note: str = ""
    at: datetime | None = field(default=None, compare=False)


class RoundRepository(Protocol):
    def add_if_absent(self, round_: Round) -> bool:
        """Store a generated round unless one with its plan, area and opening exists;
        True when it was added. Safe with two processes generating at once."""
        ...

    def get(self, round_id: int) -> Round | None: ...
    def save(self, round_: Round) -> None: ...

    def for_person(self, person: str, since: datetime, until: datetime) -> list[Round]:
        """The person's rounds whose windows overlap [since, until), earliest first."""
        ...

    def between(self, since: datetime, until: datetime) -> list[Round]:
        """Every round opening in [since, until): what coverage reports read."""
        ...

    def due(self, now: datetime, limit: int = 100) -> list[Round]:
        """Open rounds whose deadline or reminder is due (claimed, as tickets are)."""
        ...

    def next_due_at(self) -> datetime | None: ...

    # What the generator keeps beside the rounds (core/round_services.py).
    def generated(self, day: date) -> str | None:
        """The fingerprint of the plans a plant day's rounds were generated under; None when
        the day was never generated."""
        ...

    def mark_generated(self, day: date, fingerprint: str, at: datetime) -> None: ...

    def claim_announcement(self, person: str, day: date, at: datetime) -> bool:
        """Note the person's list of a plant day's rounds as sent; False when it already
        was (by this process or another)."""
        ...

    def announced(self, day: date) -> set[str]:
        """Who got the list of a plant day's rounds."""
        ...


class CheckInRepository(Protocol):
    def add(self, checkin: CheckIn) -> CheckIn:
        """Store a check-in; returns it with its id."""
        ...

    def get(self, checkin_id: int) -> CheckIn | None: ...
    def for_round(self, round_id: int) -> list[CheckIn]: ...
    def answer(self, answer: ChecklistAnswer) -> None: ...
    def answers(self, checkin_id: int) -> list[ChecklistAnswer]: ...

"""How far a round got: which checkpoints are done, and what that makes of the round.

A checkpoint is done by a check-in there whose checklist was answered; it counts for the
round's state when the check-in came before the window closed. Coverage reports tell a
round done after its window (late) from one done in it (on time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum

from core.inspections import CheckIn, ChecklistAnswer, Round, RoundState


class Outcome(StrEnum):
    """A round as a coverage report counts it."""

    ON_TIME = "on_time"  # every checkpoint done within the window
    LATE = "late"  # every checkpoint done, some after the window closed
    PARTIAL = "partial"  # the window closed with some checkpoints done
    MISSED = "missed"  # the window closed with none done
    OPEN = "open"  # not done yet, and its window has not closed


def done_at(round_: Round, checkins: Iterable[CheckIn],
            answers_of: Callable[[int], list[ChecklistAnswer]]) -> dict[str, datetime]:
    """When each checkpoint of the round was first done (checked in, checklist answered)."""
    done: dict[str, datetime] = {}
    for checkin in checkins:
        if checkin.checkpoint not in round_.checkpoints or checkin.id is None:
            continue
        if checkin.checkpoint in done and done[checkin.checkpoint] <= checkin.at:
            continue
        if answered(answers_of(checkin.id)):
            done[checkin.checkpoint] = checkin.at
    return done


def answered(answers: list[ChecklistAnswer]) -> bool:
    """Whether a check-in's checklist was answered: at least one item has its answer."""
    return bool(answers)


def left(round_: Round, done: Mapping[str, datetime], *, by: datetime | None = None) -> tuple[
        str, ...]:
    """The round's checkpoints not done (by `by`, when given), in the round's order."""
    return tuple(c for c in round_.checkpoints
                 if c not in done or (by is not None and done[c] > by))


def judged(round_: Round, done: Mapping[str, datetime]) -> RoundState:
    """The state a round closes in: what was done before its window closed."""
    missing = left(round_, done, by=round_.closes_at)
    if not missing:
        return RoundState.COMPLETE
    return RoundState.MISSED if len(missing) == len(round_.checkpoints) else RoundState.PARTIAL


def closed(round_: Round, now: datetime) -> bool:
    """Whether the window closed: by the clock, or as the sweep that closed the round said."""
    return now >= round_.closes_at or round_.state is not RoundState.OPEN


def outcome(round_: Round, done: Mapping[str, datetime], now: datetime) -> Outcome:
    if not left(round_, done):
        late = any(at > round_.closes_at for at in done.values())
        return Outcome.LATE if late else Outcome.ON_TIME
    if not closed(round_, now):
        return Outcome.OPEN
    return Outcome.MISSED if not done else Outcome.PARTIAL

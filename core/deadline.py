"""A deadline that climbs a ladder: tickets use it today; chain steps, inspection rounds,
passes and alarms will use the same kit.

The policy is copied onto the thing when it opens, as Grafana OnCall copies an escalation
chain onto an alert, so editing `plant.yaml` changes only what opens afterwards. Level 0 is
whoever holds the thing; each rung of the ladder is one level above. When a deadline passes,
a pure step function gives the next rung and its time, or says stop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from core.plant import Role

# How far into a window a reminder falls due, unless a policy says otherwise.
REMIND_SHARE = 0.75
# How often the top rung hears again until someone acts, unless a policy says otherwise.
REPEAT = timedelta(hours=24)


@dataclass(frozen=True)
class Rung:
    """One level above the holder: who is told, and how long they have before the next rung."""

    role: Role
    window: timedelta | None = None


@dataclass(frozen=True)
class DeadlinePolicy:
    """The rules a thing opened under: its named windows, its ladder, its reminder point and
    how often the top rung is reminded (None: once told, never again)."""

    windows: Mapping[str, timedelta] = field(default_factory=dict)
    ladder: tuple[Rung, ...] = ()
    remind_share: float = REMIND_SHARE
    repeat: timedelta | None = REPEAT

    def window(self, name: str) -> timedelta | None:
        return self.windows.get(name)


@dataclass(frozen=True)
class Deadline:
    """Where a timed thing stands: its policy, its rung, when it is due and when to remind."""

    policy: DeadlinePolicy
    level: int = 0
    due_at: datetime | None = None
    remind_at: datetime | None = None


@dataclass(frozen=True)
class Climb:
    """One rung up: who is told now, and the deadline that follows; `passed` are the rungs
    below it told at the same time when the climb went to the top in one go."""

    rung: Rung
    deadline: Deadline
    passed: tuple[Rung, ...] = ()


def start(policy: DeadlinePolicy, window: str, now: datetime) -> Deadline:
    """A fresh deadline at the bottom of the ladder, due one named window from now."""
    span = policy.window(window)
    return moved(Deadline(policy), now=now, due_at=now + span if span is not None else None)


def moved(
    deadline: Deadline, *, now: datetime, due_at: datetime | None, level: int | None = None
) -> Deadline:
    """After a move: due at `due_at` (None: nothing left to time), on `level` if given, with
    the reminder at the policy's share of the time left."""
    remind_at = None
    if due_at is not None and due_at > now:
        remind_at = now + (due_at - now) * deadline.policy.remind_share
    level = deadline.level if level is None else level
    return replace(deadline, level=level, due_at=due_at, remind_at=remind_at)


def climb(deadline: Deadline, now: datetime, *, to_top: bool = False) -> Climb | None:
    """The deadline passed: the next rung (`to_top`: every rung left, at once), timed by its
    own window; at the top nothing is due, but the top rung is reminded every `repeat`.
    None once the ladder is exhausted, which means stop."""
    ladder = deadline.policy.ladder
    level = len(ladder) if to_top else deadline.level + 1
    if level > len(ladder) or level <= deadline.level:
        return None
    rung = ladder[level - 1]
    passed = ladder[deadline.level:level - 1]
    if level < len(ladder):
        window = rung.window
        due_at = now + window if window is not None else None
        return Climb(rung, moved(deadline, now=now, due_at=due_at, level=level), passed)
    return Climb(rung, exhausted(replace(deadline, level=level), now), passed)


def exhausted(deadline: Deadline, now: datetime) -> Deadline:
    """Nothing left to climb: nothing is due, and the top rung, just told (or late again
    after someone acted), is reminded one `repeat` from now and every `repeat` after."""
    repeat = deadline.policy.repeat
    return replace(deadline, due_at=None, remind_at=None if repeat is None else now + repeat)

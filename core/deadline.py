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


@dataclass(frozen=True)
class Rung:
    """One level above the holder: who is told, and how long they have before the next rung."""

    role: Role
    window: timedelta | None = None


@dataclass(frozen=True)
class DeadlinePolicy:
    """The rules a thing opened under: its named windows, its ladder and its reminder point."""

    windows: Mapping[str, timedelta] = field(default_factory=dict)
    ladder: tuple[Rung, ...] = ()
    remind_share: float = REMIND_SHARE

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
    """One rung up: who is told now, and the deadline that follows."""

    rung: Rung
    deadline: Deadline


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


def climb(deadline: Deadline, now: datetime) -> Climb | None:
    """The deadline passed: the next rung, timed by its own window (untimed at the top);
    None once the ladder is exhausted, which means stop."""
    ladder = deadline.policy.ladder
    level = deadline.level + 1
    if level > len(ladder):
        return None
    rung = ladder[level - 1]
    window = rung.window if level < len(ladder) else None
    due_at = now + window if window is not None else None
    return Climb(rung, moved(deadline, now=now, due_at=due_at, level=level))

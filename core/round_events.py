"""What happened to inspection rounds: past-tense facts for the subscribers and the audit log.

Each names its round by `round_id`; the notices (handlers/round_notices.py) are handed the
round as it stands when the transaction commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.inspections import RoundState
from core.plant import Role


@dataclass(frozen=True)
class RoundsAnnounced:
    """An inspector's rounds of a plant day (`day` as YYYY-MM-DD), in one message. A message,
    not a fact about a round: not audited."""

    person: str
    day: str
    rounds: tuple[int, ...]


@dataclass(frozen=True)
class RoundEvent:
    round_id: int
    assignee: str


@dataclass(frozen=True)
class RoundReminded(RoundEvent):
    """The window closes soon and these checkpoints are left."""

    left: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundCompleted(RoundEvent):
    """The window closed with every checkpoint done."""


@dataclass(frozen=True)
class RoundMissed(RoundEvent):
    """The window closed with checkpoints left (`state` partial or missed): the rung above
    the inspector is told, once."""

    state: RoundState = RoundState.MISSED
    missed: tuple[str, ...] = ()
    level: int = 1
    role: Role = Role.SAFETY_MANAGER
    recipients: tuple[str, ...] = ()

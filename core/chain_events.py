"""What happened in a chain: past-tense facts for the subscribers and the audit log.

Each names the ticket by `code`, so the notifications' table hands subscribers the ticket
as it stands when the transaction commits; `step` is the step's id in plant.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ChainOpened:
    code: str
    rule: str
    actor: str = "system"


@dataclass(frozen=True)
class StepEvent:
    """Something happened to one step; each kind has its own subclass below."""

    code: str
    step: str
    holder: str


@dataclass(frozen=True)
class StepOpened(StepEvent):
    """The step's task went to its holder (at the start, or when its `after` steps were done)."""


@dataclass(frozen=True)
class StepConfirmed(StepEvent):
    promised_at: datetime | None = None


@dataclass(frozen=True)
class StepDone(StepEvent):
    note: str | None = None


@dataclass(frozen=True)
class StepHandedOver(StepEvent):
    """The step went from `handed_by` to `holder`, who must confirm it."""

    handed_by: str = ""


@dataclass(frozen=True)
class StepLate(StepEvent):
    """The step is late against `missed` (its window to confirm, or its promised time)."""

    missed: datetime | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class StepReminded(StepLate):
    """The holder is reminded in chat."""


@dataclass(frozen=True)
class StepWarned(StepLate):
    """The holder's superior is warned by mail, once for this lateness."""

    superior: str = ""


@dataclass(frozen=True)
class ChainCancelled:
    """The ticket ended another way; these holders' steps stopped."""

    code: str
    holders: tuple[str, ...] = ()

"""What happened in the domain: past-tense facts that subscribers and the audit log follow.

Subscribers are picked by class, base classes included (see core/bus.py): whoever
subscribes to `TicketActed` hears every action, whoever subscribes to `TicketResolved`
only fixes reported done.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.plant import Role
from core.tickets import Action, Status


@dataclass(frozen=True)
class TicketOpened:
    code: str
    actor: str


@dataclass(frozen=True)
class TicketActed:
    """Someone acted on a ticket; each action has its own subclass below."""

    code: str
    action: Action
    actor: str
    reason: str | None = None
    previous_team: str | None = None
    previous_status: Status | None = None


@dataclass(frozen=True)
class TicketAccepted(TicketActed):
    """The team took the ticket on (已接收)."""


@dataclass(frozen=True)
class TicketStarted(TicketActed):
    """The team started the work (处理中)."""


@dataclass(frozen=True)
class TicketResolved(TicketActed):
    """The team reported the fix done, with an after photo."""


@dataclass(frozen=True)
class TicketRejected(TicketActed):
    """The team (or a supervisor) rejected the ticket; safety staff decide whether it stands."""


@dataclass(frozen=True)
class TicketReassigned(TicketActed):
    """The ticket was handed to another team."""


@dataclass(frozen=True)
class TicketClosed(TicketActed):
    """Safety staff signed the fix off."""


@dataclass(frozen=True)
class TicketReopened(TicketActed):
    """Safety staff found the fix wanting and sent it back."""


@dataclass(frozen=True)
class TicketJudged(TicketActed):
    """Safety staff judged the report valid, a duplicate or invalid (`action` says which)."""


@dataclass(frozen=True)
class RejectionUpheld(TicketActed):
    """Safety staff let the team's rejection stand."""


@dataclass(frozen=True)
class RejectionOverruled(TicketActed):
    """Safety staff sent the rejected work back to a team."""


# Which fact each action on a ticket records.
ACTED: dict[Action, type[TicketActed]] = {
    Action.ACCEPT: TicketAccepted,
    Action.START: TicketStarted,
    Action.DONE: TicketResolved,
    Action.REJECT: TicketRejected,
    Action.REASSIGN: TicketReassigned,
    Action.CLOSE: TicketClosed,
    Action.REOPEN: TicketReopened,
    Action.VALID: TicketJudged,
    Action.DUPLICATE: TicketJudged,
    Action.INVALID: TicketJudged,
    Action.UPHOLD: RejectionUpheld,
    Action.OVERRULE: RejectionOverruled,
}


@dataclass(frozen=True)
class TicketEscalated:
    code: str
    level: int
    role: Role
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class PointsChanged:
    person: str
    delta: int
    ticket: str
    reason: str


Event = TicketOpened | TicketActed | TicketEscalated | PointsChanged


def audit_name(event: Event) -> str:
    """The name the audit log files an event under. Every action stays `TicketActed`, as
    entries written before the subclasses existed say: the log is append-only."""
    return TicketActed.__name__ if isinstance(event, TicketActed) else type(event).__name__

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
    # A photo the actor sent with the action (the reporter's "not fixed" evidence).
    photo: str | None = None


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
    """Safety staff (`reopen`) or the reporter (`not_fixed`) found the fix wanting and sent
    it back."""


@dataclass(frozen=True)
class FixConfirmed(TicketActed):
    """The reporter confirmed the fix (已解决)."""


@dataclass(frozen=True)
class TicketJudged(TicketActed):
    """Safety staff judged the report valid, a duplicate or invalid (`action` says which)."""


@dataclass(frozen=True)
class RejectionUpheld(TicketActed):
    """Safety staff let the team's rejection stand."""


@dataclass(frozen=True)
class RejectionOverruled(TicketActed):
    """Safety staff sent the rejected work back to a team."""


@dataclass(frozen=True)
class TicketGradedMajor(TicketActed):
    """The safety manager graded the ticket a major hazard (重大事故隐患)."""


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
    Action.MAJOR: TicketGradedMajor,
    Action.FIXED: FixConfirmed,
    Action.NOT_FIXED: TicketReopened,
}


@dataclass(frozen=True)
class TicketJoined:
    """A worker about to report the same hazard joined the open ticket instead (core/
    duplicates.py): they follow its progress; no ticket was opened, no points are due."""

    code: str
    actor: str


@dataclass(frozen=True)
class TicketEscalated:
    code: str
    level: int
    role: Role
    recipients: tuple[str, ...]
    # The rungs below `role` told in the same step: a critical ticket tells every rung at once.
    passed: tuple[Role, ...] = ()


@dataclass(frozen=True)
class TicketReminded:
    """The holder of a ticket's step was reminded: before its deadline, or (`repeat`) the top
    rung again because nobody acted. `digested` get it in their daily digest instead."""

    code: str
    level: int
    recipients: tuple[str, ...]
    repeat: bool = False
    digested: tuple[str, ...] = ()


@dataclass(frozen=True)
class DigestCompiled:
    """A person's daily digest: the general tickets whose reminders it gathers (in the plant's
    zone, `day` as YYYY-MM-DD). A message, not a fact about a ticket: not audited."""

    person: str
    day: str
    tickets: tuple[str, ...]


@dataclass(frozen=True)
class PointsChanged:
    person: str
    delta: int
    ticket: str
    reason: str


@dataclass(frozen=True)
class RemediationPlanEntered:
    """A major hazard's remediation plan (五落实) was entered, or replaced; the audit log
    keeps all five elements. Funds are yuan as a decimal string, the deadline an ISO date."""

    code: str
    actor: str
    responsible: str
    measures: str
    funds: str
    deadline: str
    emergency_plan: str


@dataclass(frozen=True)
class MajorAcceptanceRequested:
    """A safety officer verified a major hazard's fix: only the safety manager may accept it."""

    code: str
    actor: str


@dataclass(frozen=True)
class MajorHazardAccepted:
    """The safety manager accepted a major hazard's fix, closing it (验收销号)."""

    code: str
    actor: str


@dataclass(frozen=True)
class PointsAdjusted:
    """An admin corrected a person's points, with their reason (a ledger `adjust` entry)."""

    person: str
    delta: int
    reason: str
    actor: str


@dataclass(frozen=True)
class OrderPlaced:
    """A shop order reserved its points and stock; an admin is asked to approve it."""

    order: int
    person: str
    item: str
    price: int
    actor: str


@dataclass(frozen=True)
class OrderApproved:
    """An admin approved a shop order: it is handed out where the item is collected."""

    order: int
    person: str
    item: str
    actor: str


@dataclass(frozen=True)
class OrderRejected:
    """An admin rejected a shop order: its points are refunded, its stock released."""

    order: int
    person: str
    item: str
    price: int
    actor: str
    reason: str


ShopEvent = OrderPlaced | OrderApproved | OrderRejected
MajorHazardEvent = RemediationPlanEntered | MajorAcceptanceRequested | MajorHazardAccepted
Event = (TicketOpened | TicketJoined | TicketActed | TicketEscalated | TicketReminded
         | PointsChanged | MajorHazardEvent)


def audit_name(event: Event) -> str:
    """The name the audit log files an event under. Every action stays `TicketActed`, as
    entries written before the subclasses existed say: the log is append-only."""
    return TicketActed.__name__ if isinstance(event, TicketActed) else type(event).__name__

"""A hazard ticket and the rules for moving it through its states."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from core.deadline import DeadlinePolicy
from core.geo import GeoPoint
from core.plant import Person, Plant, Role, Severity


class Status(StrEnum):
    REPORTED = "reported"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


OPEN_STATUSES = (Status.REPORTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS)


class Validity(StrEnum):
    PENDING = "pending"
    VALID = "valid"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


class Action(StrEnum):
    ACCEPT = "accept"
    START = "start"
    DONE = "done"
    REJECT = "reject"
    REASSIGN = "reassign"
    CLOSE = "close"
    REOPEN = "reopen"
    VALID = "valid"
    DUPLICATE = "duplicate"
    INVALID = "invalid"
    UPHOLD = "uphold"
    OVERRULE = "overrule"
    MAJOR = "major"  # graded a major hazard (重大事故隐患) by the safety manager
    # The reporter's answer to the before/after picture: 已解决 (recorded, with thanks) or
    # 未解决 (the fix goes back to the team, as a verifier's reopening does).
    FIXED = "fixed"
    NOT_FIXED = "not_fixed"


ANY_VALIDITY = tuple(Validity)
# A rejection by the team is still open to the safety officer's decision while nobody has
# judged the report duplicate or invalid.
UNDECIDED = (Validity.PENDING, Validity.VALID)


@dataclass(frozen=True)
class Transition:
    sources: tuple[Status, ...]
    target: Status | None
    roles: tuple[Role, ...]
    team_lead_of_ticket: bool = False
    validities: tuple[Validity, ...] = ANY_VALIDITY
    # Not on a ticket already graded a major hazard: grading happens once.
    minor_only: bool = False
    # The ticket's reporter may, and nobody else: their own word on the fix.
    reporter_only: bool = False


_WORKERS = (Role.DEPARTMENT_HEAD, Role.ADMIN)
_VALIDATORS = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER)
_ANY_BUT_CLOSED = (*OPEN_STATUSES, Status.RESOLVED, Status.REJECTED)

# The lead of the assigned team works the ticket; heads and admins may step in.
TRANSITIONS: dict[Action, Transition] = {
    Action.ACCEPT: Transition((Status.REPORTED,), Status.ACKNOWLEDGED, _WORKERS, True),
    Action.START: Transition((Status.ACKNOWLEDGED,), Status.IN_PROGRESS, _WORKERS, True),
    Action.DONE: Transition((Status.IN_PROGRESS,), Status.RESOLVED, _WORKERS, True),
    Action.REJECT: Transition(
        (Status.REPORTED, Status.ACKNOWLEDGED), Status.REJECTED, (*_WORKERS, *_VALIDATORS), True
    ),
    Action.REASSIGN: Transition(
        (Status.REPORTED, Status.ACKNOWLEDGED), Status.REPORTED, (*_WORKERS, *_VALIDATORS), True
    ),
    Action.CLOSE: Transition((Status.RESOLVED,), Status.CLOSED, _VALIDATORS),
    Action.REOPEN: Transition((Status.RESOLVED,), Status.IN_PROGRESS, _VALIDATORS),
    Action.VALID: Transition(
        (*_ANY_BUT_CLOSED, Status.CLOSED), None, _VALIDATORS,
        validities=(Validity.PENDING, Validity.DUPLICATE, Validity.INVALID),
    ),
    Action.DUPLICATE: Transition(
        _ANY_BUT_CLOSED, Status.REJECTED, _VALIDATORS,
        validities=(Validity.PENDING, Validity.VALID, Validity.INVALID),
    ),
    Action.INVALID: Transition(
        _ANY_BUT_CLOSED, Status.REJECTED, _VALIDATORS,
        validities=(Validity.PENDING, Validity.VALID, Validity.DUPLICATE),
    ),
    # The safety officer's decision on a team's rejection: it stands, or the work goes back.
    Action.UPHOLD: Transition((Status.REJECTED,), None, _VALIDATORS, validities=UNDECIDED),
    Action.OVERRULE: Transition(
        (Status.REJECTED,), Status.REPORTED, _VALIDATORS, validities=UNDECIDED
    ),
    # Only the safety manager grades a major hazard, while the work is still open; what a
    # major hazard then needs is in core/major_hazards.py.
    Action.MAJOR: Transition(
        OPEN_STATUSES, None, (Role.SAFETY_MANAGER,),
        validities=(Validity.PENDING, Validity.VALID), minor_only=True,
    ),
    # Fixed is welcome even after safety staff closed the ticket; Not fixed only reopens a
    # fix nobody has signed off yet (once closed, the reporter reports again).
    Action.FIXED: Transition((Status.RESOLVED, Status.CLOSED), None, (), reporter_only=True),
    Action.NOT_FIXED: Transition(
        (Status.RESOLVED,), Status.IN_PROGRESS, (), reporter_only=True
    ),
}


@dataclass
class Ticket:
    code: str
    reporter: str
    area: str
    category: str
    severity: Severity
    urgency: Severity
    description: str
    team: str
    created_at: datetime
    equipment: str | None = None
    location: GeoPoint | None = None
    location_source: str = "area"
    photos: list[str] = field(default_factory=list)
    after_photo: str | None = None
    status: Status = Status.REPORTED
    validity: Validity = Validity.PENDING
    points: int = 0
    escalation_level: int = 0
    due_at: datetime | None = None
    remind_at: datetime | None = None
    respond_by: datetime | None = None
    resolve_by: datetime | None = None
    acknowledged_at: datetime | None = None
    started_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    rejected_at: datetime | None = None
    reason: str | None = None
    duplicate_of: str | None = None
    # Filed although it looked like this open ticket (core/duplicates.py): the safety
    # officer sees the suggestion when judging.
    suspected_duplicate_of: str | None = None
    # A photo of this earlier ticket came again: the report earns no points.
    reused_photo_of: str | None = None
    # The windows and ladder copied when the ticket opened; None on tickets stored before.
    policy: DeadlinePolicy | None = None
    # A cross-department chain is doing the work (core/chains.py): the team's own actions
    # wait, and the ticket's escalation clock is stopped while its steps are timed.
    chain_running: bool = False
    # Graded a major hazard (重大事故隐患): when and by whom; who closed it (for a major
    # hazard, the safety manager's acceptance).
    major_at: datetime | None = None
    major_by: str | None = None
    closed_by: str | None = None
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_major(self) -> bool:
        return self.major_at is not None


def is_team_lead(plant: Plant, person: Person, team_id: str) -> bool:
    team = plant.teams_by_id.get(team_id)
    return team is not None and team.lead == person.id


def may_act(plant: Plant, person: Person, action: Action, ticket: Ticket) -> bool:
    """Whether this person's roles allow the action on this ticket, whatever its state."""
    rule = TRANSITIONS[action]
    if rule.reporter_only:
        return person.id == ticket.reporter
    if rule.team_lead_of_ticket and is_team_lead(plant, person, ticket.team):
        return True
    return person.has(*rule.roles)


# The team's own work on a ticket, which a running chain does instead.
CHAIN_WORK = (Action.ACCEPT, Action.START, Action.DONE, Action.REJECT, Action.REASSIGN)


def state_allows(action: Action, ticket: Ticket) -> bool:
    rule = TRANSITIONS[action]
    if ticket.chain_running and action in CHAIN_WORK:
        return False
    if rule.minor_only and ticket.is_major:
        return False
    return ticket.status in rule.sources and ticket.validity in rule.validities


def awaits_decision(ticket: Ticket) -> bool:
    """Rejected by the team, and the safety officer has not yet said whether that stands."""
    return ticket.status is Status.REJECTED and ticket.validity in UNDECIDED


def may_view(plant: Plant, person: Person, ticket: Ticket, *, follows: bool = False) -> bool:
    """Reporter, whoever joined the ticket (`follows`, core/duplicates.py), assigned team,
    supervisors and safety staff may see a ticket."""
    if follows or person.id == ticket.reporter or person.team == ticket.team:
        return True
    if is_team_lead(plant, person, ticket.team):
        return True
    return person.has(
        Role.SAFETY_OFFICER, Role.SAFETY_MANAGER, Role.DEPARTMENT_HEAD, Role.ADMIN,
        Role.PLANT_MANAGER,
    )


def ticket_code(day: str, number: int) -> str:
    """`HZ-261128-0042`: the plant-local date and that day's running number."""
    return f"HZ-{day}-{number:04d}"

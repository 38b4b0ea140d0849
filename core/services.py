"""Use cases on hazard tickets: one function each, dependencies passed in.

Each records the events it causes on the unit of work, whose subscribers act on them just
before it commits; the events are also returned, for callers that count or inspect them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core import escalation, major_hazards
from core.events import (
    ACTED,
    Event,
    MajorHazardAccepted,
    PointsChanged,
    TicketEscalated,
    TicketOpened,
    audit_name,
)
from core.geo import GeoPoint
from core.ledger import GRADED, UNGRADED, Part
from core.plant import Plant, Severity
from core.points import settle_ticket
from core.ports import Clock, UnitOfWork
from core.routing import route
from core.tickets import (
    TRANSITIONS,
    Action,
    Status,
    Ticket,
    Validity,
    may_act,
    state_allows,
    ticket_code,
)


class ActionRefused(Exception):
    """The action cannot be done; `reason` is a message key the handlers translate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class OpenTicket:
    reporter: str
    area: str
    category: str
    urgency: Severity
    description: str
    photos: tuple[str, ...]
    equipment: str | None = None
    location: GeoPoint | None = None
    location_source: str = "area"
    # What core/duplicates.py found before it was filed: an open ticket it looked like, an
    # earlier ticket whose photo it reuses.
    suspected_duplicate_of: str | None = None
    reused_photo_of: str | None = None


@dataclass(frozen=True)
class ActOnTicket:
    code: str
    action: Action
    actor: str
    reason: str | None = None
    team: str | None = None
    after_photo: str | None = None
    duplicate_of: str | None = None
    photo: str | None = None  # the reporter's "not fixed" evidence, kept with the ticket


# The judgement each action passes on the report; upholding a team's rejection finds it invalid.
_VALIDITY = {
    Action.VALID: Validity.VALID,
    Action.DUPLICATE: Validity.DUPLICATE,
    Action.INVALID: Validity.INVALID,
    Action.UPHOLD: Validity.INVALID,
}


def open_ticket(cmd: OpenTicket, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[Event]:
    now = clock.now()
    day = now.astimezone(ZoneInfo(plant.timezone)).strftime("%y%m%d")
    ticket = Ticket(
        code=ticket_code(day, uow.tickets.next_number(day)),
        reporter=cmd.reporter,
        area=cmd.area,
        category=cmd.category,
        severity=cmd.urgency,
        urgency=cmd.urgency,
        description=cmd.description,
        team=route(plant, category=cmd.category, area=cmd.area, equipment=cmd.equipment),
        created_at=now,
        equipment=cmd.equipment,
        location=cmd.location,
        location_source=cmd.location_source,
        photos=list(cmd.photos),
        suspected_duplicate_of=cmd.suspected_duplicate_of,
        reused_photo_of=cmd.reused_photo_of,
    )
    escalation.open_clocks(plant, ticket, now)
    uow.tickets.add(ticket)
    event = TicketOpened(code=ticket.code, actor=cmd.reporter)
    _record(uow, clock, event, {"team": ticket.team, "severity": ticket.severity})
    return [event]


def act_on_ticket(
    cmd: ActOnTicket, *, uow: UnitOfWork, plant: Plant, clock: Clock
) -> list[Event]:
    if cmd.duplicate_of:
        # Codes are typed by people: `hz-…` must not slip past the "not itself" check.
        cmd = replace(cmd, duplicate_of=cmd.duplicate_of.strip().upper())
    ticket = uow.tickets.get(cmd.code)
    if ticket is None:
        raise ActionRefused("unknown_ticket")
    check_allowed(plant, cmd.actor, cmd.action, ticket)
    check_ready(uow, plant, cmd.actor, cmd.action, ticket)
    _check_inputs(cmd, ticket, uow, plant)
    previous_team, previous_status = ticket.team, ticket.status
    now = clock.now()
    judgement = _judgement(cmd.action, ticket)
    _apply(cmd, ticket, now)
    if ticket.status is not previous_status or ticket.team != previous_team:
        # Only a move restarts the clock: judging validity must not delay an escalation.
        _restart_clocks(plant, ticket, cmd.action, now)
    events: list[Event] = [
        ACTED[cmd.action](ticket.code, cmd.action, cmd.actor, cmd.reason or cmd.duplicate_of,
                          previous_team if ticket.team != previous_team else None,
                          previous_status if ticket.status is not previous_status else None,
                          photo=cmd.photo)
    ]
    if cmd.action is Action.CLOSE and ticket.is_major:
        events.append(MajorHazardAccepted(ticket.code, cmd.actor))
    if judgement is not None:
        ticket.validity, ticket.duplicate_of = judgement, cmd.duplicate_of
    change = _settle_points(uow, plant, ticket, cmd, judgement, now)
    if change is not None:
        events.append(change)
    uow.tickets.save(ticket)
    for event in events:
        _record(uow, clock, event, {"status": ticket.status})
    return events


def _settle_points(
    uow: UnitOfWork, plant: Plant, ticket: Ticket, cmd: ActOnTicket,
    judgement: Validity | None, now: datetime,
) -> PointsChanged | None:
    """A judgement settles the reporter's whole award (core/ledger.py); grading a major
    hazard settles its bonus alone."""
    if judgement is not None:
        return settle_ticket(uow, plant, ticket, actor=cmd.actor, at=now, reason=judgement.value)
    if cmd.action is Action.MAJOR:
        return settle_ticket(uow, plant, ticket, actor=cmd.actor, at=now,
                             reason=GRADED if ticket.is_major else UNGRADED,
                             parts=(Part.MAJOR_HAZARD,))
    return None


def check_allowed(plant: Plant, actor: str, action: Action, ticket: Ticket) -> None:
    """Raise ActionRefused unless this person may do this to the ticket as it is now."""
    person = plant.person(actor)
    if person is None or not may_act(plant, person, action, ticket):
        raise ActionRefused("not_allowed")
    if not state_allows(action, ticket):
        raise ActionRefused(_state_refusal(action, ticket))


def _state_refusal(action: Action, ticket: Ticket) -> str:
    """Why the state refuses the action, as specific as helps the person who pressed."""
    if action is Action.MAJOR and ticket.is_major:
        return "already_major"
    if action is Action.NOT_FIXED and ticket.status is Status.CLOSED:
        return "closed_report_again"  # signed off: a hazard still there is a new report
    if action is Action.NOT_FIXED and ticket.status is Status.IN_PROGRESS:
        return "being_fixed"  # reopened already, by this press or by safety staff
    return "wrong_state"


def check_ready(
    uow: UnitOfWork, plant: Plant, actor: str, action: Action, ticket: Ticket
) -> None:
    """Raise ActionRefused when a major hazard is not ready for the action: work waits for
    its remediation plan, closing for the safety manager (core/major_hazards.py)."""
    person = plant.person(actor)
    if person is None or not ticket.is_major:
        return
    has_plan = uow.majors.plan(ticket.code) is not None
    reason = major_hazards.blocked(action, ticket, person, has_plan=has_plan)
    if reason is not None:
        raise ActionRefused(reason)


def _check_inputs(cmd: ActOnTicket, ticket: Ticket, uow: UnitOfWork, plant: Plant) -> None:
    """Refuse an action that lacks what it needs: a photo, a reason, a team, an original."""
    action = cmd.action
    if action is Action.DONE and not cmd.after_photo:
        raise ActionRefused("after_photo_required")
    if action in (Action.REJECT, Action.INVALID) and not (cmd.reason or "").strip():
        raise ActionRefused("reason_required")
    if action is Action.REASSIGN and (cmd.team not in plant.teams_by_id or cmd.team == ticket.team):
        raise ActionRefused("bad_team")
    if action is Action.OVERRULE and not (cmd.reason or "").strip():
        raise ActionRefused("reason_required")
    if action is Action.OVERRULE and cmd.team is not None and cmd.team not in plant.teams_by_id:
        raise ActionRefused("bad_team")
    if action is Action.DUPLICATE and cmd.duplicate_of == ticket.code:
        raise ActionRefused("duplicate_of_itself")
    if action is Action.DUPLICATE and uow.tickets.get(cmd.duplicate_of or "") is None:
        raise ActionRefused("bad_duplicate")
    if action is Action.NOT_FIXED and not ((cmd.reason or "").strip() or cmd.photo):
        raise ActionRefused("reason_required")
    if action is Action.FIXED and _fix_confirmed(uow, ticket):
        raise ActionRefused("already_confirmed")


def _fix_confirmed(uow: UnitOfWork, ticket: Ticket) -> bool:
    """Whether the reporter already confirmed this fix: once per resolution is recorded (a
    fix reopened and done again may be confirmed again)."""
    since = ticket.resolved_at or ticket.created_at
    return any(entry.data.get("action") == Action.FIXED
               for entry in uow.audit.find(subject=ticket.code, since=since))


_STAMPS = {
    Action.ACCEPT: "acknowledged_at", Action.START: "started_at",
    Action.DONE: "resolved_at", Action.CLOSE: "closed_at", Action.MAJOR: "major_at",
}
# Who did it, for the actions whose doer a register names.
_SIGNED = {Action.MAJOR: "major_by", Action.CLOSE: "closed_by"}


def _judgement(action: Action, ticket: Ticket) -> Validity | None:
    """The validity an action settles on the report, if any."""
    if action is Action.CLOSE and ticket.validity is Validity.PENDING:
        return Validity.VALID  # a fix signed off by safety staff was a hazard worth reporting
    return _VALIDITY.get(action)


def _apply(cmd: ActOnTicket, ticket: Ticket, now: datetime) -> None:
    action = cmd.action
    if action in (Action.REASSIGN, Action.OVERRULE) and cmd.team:
        ticket.team = cmd.team
    target = TRANSITIONS[action].target
    if action is Action.VALID and ticket.status is Status.REJECTED:
        target = Status.REPORTED  # a report judged valid never stays rejected: back to its team
    if target is not None:
        ticket.status = target
    if action in _STAMPS:
        setattr(ticket, _STAMPS[action], now)
    if action in _SIGNED:
        setattr(ticket, _SIGNED[action], cmd.actor)
    if target is Status.REJECTED:
        ticket.rejected_at = now
    if cmd.reason:
        ticket.reason = cmd.reason.strip()
    if action is Action.DONE:
        ticket.after_photo = cmd.after_photo
    if cmd.photo and cmd.photo not in ticket.photos:
        ticket.photos.append(cmd.photo)


def _restart_clocks(plant: Plant, ticket: Ticket, action: Action, now: datetime) -> None:
    """A team handed the ticket starts at the bottom of its ladder with a fresh response window;
    a reopened fix gets a fresh rectification window."""
    handed_over = ticket.status is Status.REPORTED
    if handed_over:
        escalation.start_response_clock(plant, ticket, now)
    if action in (Action.REOPEN, Action.NOT_FIXED):
        escalation.start_resolve_clock(plant, ticket, now)
    escalation.reschedule(plant, ticket, now, level=0 if handed_over else None)


def escalate_due_tickets(
    *, uow: UnitOfWork, plant: Plant, clock: Clock, limit: int = 100
) -> list[Event]:
    """Move the overdue tickets (up to `limit`) one rung up the ladder; each rung is told once."""
    return escalate_tickets(uow.tickets.due(clock.now(), limit), uow=uow, plant=plant, clock=clock)


def escalate_tickets(
    tickets: Sequence[Ticket], *, uow: UnitOfWork, plant: Plant, clock: Clock
) -> list[Event]:
    """Move each of these overdue tickets, claimed by the caller (`uow.tickets.due`), one
    rung up: a sweep in batches counts what it claimed apart from what climbed."""
    now = clock.now()
    events: list[Event] = []
    for ticket in tickets:
        step = escalation.next_step(plant, ticket, now)
        if step is None:
            escalation.stop(plant, ticket, now)
        else:
            escalation.apply_step(ticket, step)
            event = TicketEscalated(ticket.code, step.level, step.role, step.recipients,
                                    step.passed)
            _record(uow, clock, event, {})
            events.append(event)
        uow.tickets.save(ticket)
    return events


def record_event(uow: UnitOfWork, clock: Clock, event: Event, **extra: object) -> None:
    """Audit an event and record it for its subscribers: for use cases in other modules."""
    _record(uow, clock, event, extra)


def _record(uow: UnitOfWork, clock: Clock, event: Event, extra: dict[str, object]) -> None:
    """Write the event to the audit log and record it for its subscribers."""
    data = {k: v for k, v in asdict(event).items() if v not in (None, ())} | extra
    actor = str(data.pop("actor", "system"))
    subject = str(data.pop("code", data.get("ticket", "")))
    uow.audit.append(
        at=clock.now(), actor=actor, action=audit_name(event), subject=subject, data=data
    )
    uow.record(event)

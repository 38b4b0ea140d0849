"""Use cases on hazard tickets: one function each, dependencies passed in.

Each records the events it causes on the unit of work, whose subscribers act on them just
before it commits; the events are also returned, for callers that count or inspect them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core import escalation
from core.events import (
    ACTED,
    Event,
    PointsChanged,
    TicketEscalated,
    TicketOpened,
    audit_name,
)
from core.geo import GeoPoint
from core.plant import Plant, Severity
from core.points import rescore
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


@dataclass(frozen=True)
class ActOnTicket:
    code: str
    action: Action
    actor: str
    reason: str | None = None
    team: str | None = None
    after_photo: str | None = None
    duplicate_of: str | None = None


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
                          previous_status if ticket.status is not previous_status else None)
    ]
    if judgement is not None:
        ticket.validity, ticket.duplicate_of = judgement, cmd.duplicate_of
        change = rescore(plant, ticket, judgement)
        if change:
            ticket.points += change.delta
            uow.points.add(change, now)
            events.append(PointsChanged(change.person, change.delta, change.ticket, change.reason))
    uow.tickets.save(ticket)
    for event in events:
        _record(uow, clock, event, {"status": ticket.status})
    return events


def check_allowed(plant: Plant, actor: str, action: Action, ticket: Ticket) -> None:
    """Raise ActionRefused unless this person may do this to the ticket as it is now."""
    person = plant.person(actor)
    if person is None or not may_act(plant, person, action, ticket):
        raise ActionRefused("not_allowed")
    if not state_allows(action, ticket):
        raise ActionRefused("wrong_state")


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


_STAMPS = {
    Action.ACCEPT: "acknowledged_at", Action.START: "started_at",
    Action.DONE: "resolved_at", Action.CLOSE: "closed_at",
}


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
    if target is Status.REJECTED:
        ticket.rejected_at = now
    if cmd.reason:
        ticket.reason = cmd.reason.strip()
    if action is Action.DONE:
        ticket.after_photo = cmd.after_photo


def _restart_clocks(plant: Plant, ticket: Ticket, action: Action, now: datetime) -> None:
    """A team handed the ticket starts at the bottom of its ladder with a fresh response window;
    a reopened fix gets a fresh rectification window."""
    handed_over = ticket.status is Status.REPORTED
    if handed_over:
        escalation.start_response_clock(plant, ticket, now)
    if action is Action.REOPEN:
        escalation.start_resolve_clock(plant, ticket, now)
    escalation.reschedule(plant, ticket, now, level=0 if handed_over else None)


def escalate_due_tickets(*, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[Event]:
    """Move every overdue ticket one rung up the ladder; each rung is told once."""
    now = clock.now()
    events: list[Event] = []
    for ticket in uow.tickets.due(now):
        step = escalation.next_step(plant, ticket, now)
        if step is None:
            escalation.stop(plant, ticket, now)
        else:
            escalation.apply_step(ticket, step)
            event = TicketEscalated(ticket.code, step.level, step.role, step.recipients)
            _record(uow, clock, event, {})
            events.append(event)
        uow.tickets.save(ticket)
    return events


def _record(uow: UnitOfWork, clock: Clock, event: Event, extra: dict[str, object]) -> None:
    """Write the event to the audit log and record it for its subscribers."""
    data = {k: v for k, v in asdict(event).items() if v not in (None, ())} | extra
    actor = str(data.pop("actor", "system"))
    subject = str(data.pop("code", data.get("ticket", "")))
    uow.audit.append(
        at=clock.now(), actor=actor, action=audit_name(event), subject=subject, data=data
    )
    uow.record(event)

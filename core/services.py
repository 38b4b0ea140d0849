"""Use cases on hazard tickets: one function each, dependencies passed in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from core import escalation
from core.events import Event, PointsChanged, TicketActed, TicketEscalated, TicketOpened
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


_VALIDITY = {
    Action.VALID: Validity.VALID,
    Action.DUPLICATE: Validity.DUPLICATE,
    Action.INVALID: Validity.INVALID,
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
    ticket.due_at = escalation.acknowledge_deadline(plant, ticket, now)
    uow.tickets.add(ticket)
    event = TicketOpened(code=ticket.code, actor=cmd.reporter)
    _audit(uow, clock, event, {"team": ticket.team, "severity": ticket.severity})
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
    _apply(cmd, ticket, now)
    if ticket.status is not previous_status or ticket.team != previous_team:
        # Only a move restarts the clock: judging validity must not delay an escalation.
        ticket.due_at = escalation.deadline_after(plant, ticket, now)
    events: list[Event] = [
        TicketActed(ticket.code, cmd.action, cmd.actor, cmd.reason or cmd.duplicate_of,
                    previous_team if ticket.team != previous_team else None)
    ]
    if cmd.action in _VALIDITY:
        change = rescore(plant, ticket, _VALIDITY[cmd.action])
        if change:
            ticket.points += change.delta
            uow.points.add(change, now)
            events.append(PointsChanged(change.person, change.delta, change.ticket, change.reason))
    uow.tickets.save(ticket)
    for event in events:
        _audit(uow, clock, event, {"status": ticket.status})
    return events


def check_allowed(plant: Plant, actor: str, action: Action, ticket: Ticket) -> None:
    """Raise ActionRefused unless this person may do this to the ticket as it is now."""
    person = plant.person(actor)
    if person is None or not may_act(plant, person, action, ticket):
        raise ActionRefused("not_allowed")
    if not state_allows(action, ticket) or ticket.validity is _VALIDITY.get(action):
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
    if action is Action.DUPLICATE and (
        cmd.duplicate_of == ticket.code or uow.tickets.get(cmd.duplicate_of or "") is None
    ):
        raise ActionRefused("bad_duplicate")


_STAMPS = {
    Action.ACCEPT: "acknowledged_at", Action.START: "started_at",
    Action.DONE: "resolved_at", Action.CLOSE: "closed_at",
}


def _apply(cmd: ActOnTicket, ticket: Ticket, now: datetime) -> None:
    action = cmd.action
    if action is Action.REASSIGN and cmd.team:
        ticket.team = cmd.team
        ticket.escalation_level = 0  # a new team starts at the bottom of its own ladder
    target = TRANSITIONS[action].target
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
    if action in _VALIDITY:
        ticket.validity = _VALIDITY[action]
        ticket.duplicate_of = cmd.duplicate_of


def escalate_due_tickets(*, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[Event]:
    """Move every overdue ticket one rung up the ladder; each rung is told once."""
    now = clock.now()
    events: list[Event] = []
    for ticket in uow.tickets.due(now):
        step = escalation.next_step(plant, ticket, now)
        if step is None:
            ticket.due_at = None  # the ladder is exhausted
        else:
            escalation.apply_step(ticket, step)
            event = TicketEscalated(ticket.code, step.level, step.role, step.recipients)
            _audit(uow, clock, event, {})
            events.append(event)
        uow.tickets.save(ticket)
    return events


def _audit(uow: UnitOfWork, clock: Clock, event: Event, extra: dict[str, object]) -> None:
    data = {k: v for k, v in asdict(event).items() if v not in (None, ())} | extra
    actor = str(data.pop("actor", "system"))
    subject = str(data.pop("code", data.get("ticket", "")))
    uow.audit.append(
        at=clock.now(), actor=actor, action=type(event).__name__, subject=subject, data=data
    )

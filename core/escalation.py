"""SLA deadlines and the escalation ladder, as pure functions over a ticket.

Level 0 is the lead of the assigned team; each rung of `plant.escalation` is one
level above it. A ticket keeps two clocks: the response deadline (`respond_by`, the
acknowledge window from the report or from a hand-over to a team) and the
rectification deadline (`resolve_by`, the resolve window from the report, or from a
reopening). Until the team accepts it the response deadline escalates it, after that
the rectification deadline. The next escalation instant is `due_at`; a sweep reads due
tickets under lock and moves each deadline forward (or clears it), so sweeping again at
the same instant finds nothing to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.durations import parse_duration
from core.plant import Plant, Role
from core.tickets import Status, Ticket


@dataclass(frozen=True)
class EscalationStep:
    level: int
    role: Role
    recipients: tuple[str, ...]
    due_at: datetime | None


def start_response_clock(plant: Plant, ticket: Ticket, now: datetime) -> None:
    """The team that now holds the ticket has the acknowledge window from now to accept it."""
    ticket.respond_by = now + plant.sla[ticket.severity].acknowledge_within


def start_resolve_clock(plant: Plant, ticket: Ticket, since: datetime) -> None:
    window = plant.sla[ticket.severity].resolve_within
    ticket.resolve_by = since + window if window else None


def respond_by(plant: Plant, ticket: Ticket) -> datetime:
    """The response deadline (响应截止); tickets stored before it was kept get it computed."""
    return ticket.respond_by or ticket.created_at + plant.sla[ticket.severity].acknowledge_within


def resolve_by(plant: Plant, ticket: Ticket) -> datetime | None:
    """The rectification deadline (整改截止), counted from the report (from a reopening after)."""
    if ticket.resolve_by is not None:
        return ticket.resolve_by
    window = plant.sla[ticket.severity].resolve_within
    return ticket.created_at + window if window else None


def deadline_after(plant: Plant, ticket: Ticket) -> datetime | None:
    """The clock that escalates the ticket in its current status: until the team accepts it
    the response deadline, then the rectification deadline; none once it is resolved."""
    if ticket.status is Status.REPORTED:
        return respond_by(plant, ticket)
    if ticket.status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        return resolve_by(plant, ticket)
    return None


def recipients_for(plant: Plant, role: Role, team_id: str) -> tuple[str, ...]:
    if role is Role.DEPARTMENT_HEAD:
        team = plant.teams_by_id.get(team_id)
        department = plant.departments_by_id.get(team.department or "") if team else None
        if department and department.head:
            return (department.head,)
    return tuple(p.id for p in plant.with_role(role))


def next_step(plant: Plant, ticket: Ticket, now: datetime) -> EscalationStep | None:
    """The next rung for a ticket whose deadline passed; None when the ladder is exhausted."""
    level = ticket.escalation_level + 1
    if level > len(plant.escalation):
        return None
    rung = plant.escalation[level - 1]
    has_next = level < len(plant.escalation)
    window = rung.window if has_next else None
    due_at = now + parse_duration(window) if window else None
    return EscalationStep(level, rung.role, recipients_for(plant, rung.role, ticket.team), due_at)


def apply_step(ticket: Ticket, step: EscalationStep) -> None:
    ticket.escalation_level = step.level
    ticket.due_at = step.due_at


"""SLA deadlines and the escalation ladder, as pure functions over a ticket.

Level 0 is the lead of the assigned team; each rung of `plant.escalation` is one
level above it. The ticket carries its deadline (`due_at`); a sweep reads due
tickets under lock and moves each deadline forward (or clears it), so sweeping
again at the same instant finds nothing to do.
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


def acknowledge_deadline(plant: Plant, ticket: Ticket, since: datetime) -> datetime:
    return since + plant.sla[ticket.severity].acknowledge_within


def resolve_deadline(plant: Plant, ticket: Ticket, since: datetime) -> datetime | None:
    window = plant.sla[ticket.severity].resolve_within
    return since + window if window else None


def deadline_after(plant: Plant, ticket: Ticket, now: datetime) -> datetime | None:
    """The deadline that applies once the ticket has reached its current status at `now`."""
    if ticket.status is Status.REPORTED:
        return acknowledge_deadline(plant, ticket, now)
    if ticket.status is Status.ACKNOWLEDGED:
        # The resolve window counts from the report, not from the acknowledgement.
        return resolve_deadline(plant, ticket, ticket.created_at)
    if ticket.status is Status.IN_PROGRESS:
        if ticket.resolved_at is not None:  # reopened: the team gets a fresh window
            return resolve_deadline(plant, ticket, now)
        return resolve_deadline(plant, ticket, ticket.created_at)
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


"""The ticket's use of the deadline kit: its two clocks and its escalation ladder.

Level 0 is the lead of the assigned team; each rung of the ticket's ladder is one level
above it. A ticket keeps two clocks: the response deadline (`respond_by`, the acknowledge
window from the report or from a hand-over to a team) and the rectification deadline
(`resolve_by`, the resolve window from the report, or from a reopening). Until the team
accepts it the response deadline escalates it, after that the rectification deadline. The
next escalation instant is `due_at`; a sweep reads due tickets under lock and moves each
deadline forward (or clears it), so sweeping again at the same instant finds nothing to do.

The windows and the ladder are copied onto the ticket when it opens (`Ticket.policy`), so
a ticket keeps the clock and the ladder it was reported under when `plant.yaml` changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core import deadline
from core.deadline import Deadline, DeadlinePolicy, Rung
from core.durations import parse_duration
from core.plant import Plant, Role, Severity
from core.tickets import Status, Ticket

# The names of a ticket's windows in its policy, as `plant.yaml`'s `sla` calls them.
ACKNOWLEDGE = "acknowledge"
RESOLVE = "resolve"


@dataclass(frozen=True)
class EscalationStep:
    role: Role
    recipients: tuple[str, ...]
    deadline: Deadline
    # The roles of the rungs below told at the same time (a critical ticket's whole ladder).
    passed: tuple[Role, ...] = ()

    @property
    def level(self) -> int:
        return self.deadline.level

    @property
    def due_at(self) -> datetime | None:
        return self.deadline.due_at


def policy_for(plant: Plant, severity: Severity) -> DeadlinePolicy:
    """The plant's policy for a severity as it stands now: what a new ticket copies."""
    sla = plant.sla[severity]
    windows = {ACKNOWLEDGE: sla.acknowledge_within}
    if sla.resolve_within:
        windows[RESOLVE] = sla.resolve_within
    ladder = tuple(
        Rung(level.role, parse_duration(level.window) if level.window else None)
        for level in plant.escalation
    )
    reminders = plant.reminders
    return DeadlinePolicy(windows, ladder, reminders.share, reminders.repeat_every)


def policy_of(plant: Plant, ticket: Ticket) -> DeadlinePolicy:
    """The policy the ticket opened under. The one place that falls back: a ticket stored
    before policies were copied follows the plant's current one, until it is next saved."""
    return ticket.policy or policy_for(plant, ticket.severity)


def _acknowledge_within(policy: DeadlinePolicy) -> timedelta:
    window = policy.window(ACKNOWLEDGE)
    if window is None:
        raise ValueError("a ticket's policy needs an acknowledge window")
    return window


def open_clocks(plant: Plant, ticket: Ticket, now: datetime) -> None:
    """Copy the plant's policy onto a new ticket and start both clocks and its deadline."""
    ticket.policy = policy_for(plant, ticket.severity)
    start_response_clock(plant, ticket, now)
    start_resolve_clock(plant, ticket, now)
    reschedule(plant, ticket, now)


def start_response_clock(plant: Plant, ticket: Ticket, now: datetime) -> None:
    """The team that now holds the ticket has the acknowledge window from now to accept it."""
    ticket.respond_by = now + _acknowledge_within(policy_of(plant, ticket))


def start_resolve_clock(plant: Plant, ticket: Ticket, since: datetime) -> None:
    window = policy_of(plant, ticket).window(RESOLVE)
    ticket.resolve_by = since + window if window else None


def respond_by(plant: Plant, ticket: Ticket) -> datetime:
    """The response deadline (响应截止); tickets stored before it was kept get it computed."""
    return ticket.respond_by or ticket.created_at + _acknowledge_within(policy_of(plant, ticket))


def resolve_by(plant: Plant, ticket: Ticket) -> datetime | None:
    """The rectification deadline (整改截止), counted from the report (from a reopening after)."""
    if ticket.resolve_by is not None:
        return ticket.resolve_by
    window = policy_of(plant, ticket).window(RESOLVE)
    return ticket.created_at + window if window else None


def deadline_after(plant: Plant, ticket: Ticket) -> datetime | None:
    """The clock that escalates the ticket in its current status: until the team accepts it
    the response deadline, then the rectification deadline; none once it is resolved."""
    if ticket.status is Status.REPORTED:
        return respond_by(plant, ticket)
    if ticket.status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        return resolve_by(plant, ticket)
    return None


def deadline_of(plant: Plant, ticket: Ticket) -> Deadline:
    """The ticket's escalation deadline as the kit's value."""
    return Deadline(policy_of(plant, ticket), ticket.escalation_level, ticket.due_at,
                    ticket.remind_at)


def keep(ticket: Ticket, moved: Deadline) -> None:
    """Write a deadline back onto the ticket (its policy too, so a stored ticket keeps it)."""
    ticket.policy = moved.policy
    ticket.escalation_level, ticket.due_at, ticket.remind_at = (
        moved.level, moved.due_at, moved.remind_at
    )


def reschedule(plant: Plant, ticket: Ticket, now: datetime, *, level: int | None = None) -> None:
    """After a move: the deadline follows the clock of the ticket's new status."""
    moved = deadline.moved(deadline_of(plant, ticket), now=now,
                           due_at=deadline_after(plant, ticket), level=level)
    keep(ticket, moved)


def recipients_for(plant: Plant, role: Role, team_id: str) -> tuple[str, ...]:
    if role is Role.DEPARTMENT_HEAD:
        team = plant.teams_by_id.get(team_id)
        department = plant.departments_by_id.get(team.department or "") if team else None
        if department and department.head:
            return (department.head,)
    return tuple(p.id for p in plant.with_role(role))


def next_step(plant: Plant, ticket: Ticket, now: datetime) -> EscalationStep | None:
    """The next rung for a ticket whose deadline passed; a critical ticket goes to the top at
    once, every rung told. None when the ladder is exhausted."""
    at_once = ticket.severity is Severity.CRITICAL
    climbed = deadline.climb(deadline_of(plant, ticket), now, to_top=at_once)
    if climbed is None:
        return None
    roles = [rung.role for rung in (*climbed.passed, climbed.rung)]
    told = (person for role in roles for person in recipients_for(plant, role, ticket.team))
    return EscalationStep(roles[-1], tuple(dict.fromkeys(told)), climbed.deadline,
                          tuple(roles[:-1]))


def stop(plant: Plant, ticket: Ticket, now: datetime) -> None:
    """The ladder is exhausted and the deadline passed again: nothing more to climb; the top
    rung hears again on its rhythm (`repeat`), not the moment after someone acted."""
    keep(ticket, deadline.exhausted(deadline_of(plant, ticket), now))


def apply_step(ticket: Ticket, step: EscalationStep) -> None:
    keep(ticket, step.deadline)

"""Reminders on the deadline kit: who holds a ticket's step, whether the plant's quiet hours
hold a reminder back, who gets it in a digest instead, and when the next one falls.

A ticket's `remind_at` is the next time its holder hears without the ticket climbing: a
share of the way through each window (`DeadlinePolicy.remind_share`), or, at the top of the
ladder where nothing is due, every `repeat` until someone acts. Every action moves the
deadline and `remind_at` with it, so the reminder of a step that was done, handed over or
cancelled is gone before it falls due. The sweep moves `remind_at` on (or clears it) in the
transaction that records the reminder, so sweeping again at the same instant sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core import escalation
from core.plant import Plant, Severity
from core.tickets import Ticket


@dataclass(frozen=True)
class Reminder:
    """What one due reminder does: who is told now, who gets it in their digest, and when the
    ticket's holder is reminded next (None: not before the ticket moves)."""

    level: int
    repeat: bool
    recipients: tuple[str, ...]
    digested: tuple[str, ...]
    next_at: datetime | None


def holders(plant: Plant, ticket: Ticket) -> tuple[str, ...]:
    """Who holds the ticket's step: the lead of its team at level 0, the rung's people above."""
    level = ticket.escalation_level
    if level == 0:
        team = plant.teams_by_id.get(ticket.team)
        return (team.lead,) if team and team.lead else ()
    ladder = escalation.policy_of(plant, ticket).ladder
    if level > len(ladder):
        return ()
    return escalation.recipients_for(plant, ladder[level - 1].role, ticket.team)


def held_until(plant: Plant, ticket: Ticket, now: datetime) -> datetime | None:
    """When the plant's quiet hours end, if they hold this reminder now; None if it may go.
    Only general tickets wait: serious and critical ones never do."""
    quiet = plant.reminders.quiet
    if quiet is None or ticket.severity is not Severity.GENERAL:
        return None
    zone = ZoneInfo(plant.timezone)
    local = now.astimezone(zone)
    if not quiet.covers(local.time()):
        return None
    end = datetime.combine(local.date(), quiet.end, zone)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), quiet.end, zone)
    return end.astimezone(UTC)


def wants_digest(plant: Plant, person: str, ticket: Ticket) -> bool:
    """Whether this person gets this ticket's reminders in their daily digest instead."""
    found = plant.person(person)
    return found is not None and found.digest and ticket.severity is Severity.GENERAL


def remind(plant: Plant, ticket: Ticket, now: datetime) -> Reminder:
    """The reminder due now. With a deadline ahead it comes once, before the deadline; with
    none (the top of the ladder) it comes again every `repeat` of the ticket's policy."""
    told = holders(plant, ticket)
    digested = tuple(p for p in told if wants_digest(plant, p, ticket))
    repeat = ticket.due_at is None
    every = escalation.policy_of(plant, ticket).repeat
    next_at = None
    if repeat and every:
        # Kept to the rhythm it was due on, so sweeps that run late do not drift it.
        next_at = (ticket.remind_at or now) + every
        if next_at <= now:
            next_at = now + every
    direct = tuple(p for p in told if p not in digested)
    return Reminder(ticket.escalation_level, repeat, direct, digested, next_at)


def step_of(ticket: Ticket) -> str:
    """The step a ticket is in; it changes with every move, so a reminder gathered for a
    digest can tell whether its step is still the ticket's."""
    due = ticket.due_at.isoformat() if ticket.due_at else "-"
    return f"{ticket.status}|{ticket.team}|{ticket.escalation_level}|{due}"


def still_due(plant: Plant, person: str, ticket: Ticket | None, step: str) -> bool:
    """Whether a reminder gathered for `person` at `step` is worth a line in their digest."""
    return (
        ticket is not None and ticket.is_open and step_of(ticket) == step
        and person in holders(plant, ticket)
    )


def digest_day(plant: Plant, since: datetime, last: date | None) -> date:
    """The plant day of the digest that gathers a reminder from `since`: the first digest at
    or after it, and never a day whose digest was already sent (`last`)."""
    day = since.astimezone(ZoneInfo(plant.timezone)).date()
    if digest_time(plant, day) < since:
        day += timedelta(days=1)
    return day if last is None or day > last else last + timedelta(days=1)


def digest_time(plant: Plant, day: date) -> datetime:
    """When the digest of a plant day goes out (`reminders.digest_at`, plant time)."""
    zone = ZoneInfo(plant.timezone)
    return datetime.combine(day, plant.reminders.digest_time, zone).astimezone(UTC)

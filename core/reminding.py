"""Use cases of reminders: the sweep that reminds each step's holder, and the daily digests.

Both record their events on the unit of work; the subscribers write the messages in the
same transaction, and the sweep moves each `remind_at` on (or clears it) in it too, so a
second sweep at the same instant, in this process or another, finds nothing to send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from core import reminders
from core.events import DigestCompiled, TicketReminded
from core.plant import Plant
from core.ports import Clock, UnitOfWork
from core.services import record_event
from core.tickets import Ticket


def remind_due_tickets(
    *, uow: UnitOfWork, plant: Plant, clock: Clock, limit: int = 100
) -> list[TicketReminded]:
    """Remind the holders of the tickets (up to `limit`) whose reminder is due."""
    return remind_tickets(uow.reminders.due(clock.now(), limit), uow=uow, plant=plant,
                          clock=clock)


def remind_tickets(
    tickets: Sequence[Ticket], *, uow: UnitOfWork, plant: Plant, clock: Clock
) -> list[TicketReminded]:
    """Remind the holders of these tickets, claimed by the caller (`uow.reminders.due`);
    a general ticket's reminder waits for the end of the quiet hours."""
    now = clock.now()
    events: list[TicketReminded] = []
    for ticket in tickets:
        if ticket.due_at is not None and ticket.due_at <= now:
            ticket.remind_at = None  # the deadline itself passed: the escalation says more
        elif (held := reminders.held_until(plant, ticket, now)) is not None:
            ticket.remind_at = held
        elif (event := _remind(ticket, uow=uow, plant=plant, clock=clock)) is not None:
            events.append(event)
        uow.tickets.save(ticket)
    return events


def _remind(
    ticket: Ticket, *, uow: UnitOfWork, plant: Plant, clock: Clock
) -> TicketReminded | None:
    """Tell the holders, gather it for those who read a digest, and move `remind_at` on;
    with nobody holding the step (a team without a lead) it only moves on."""
    now = clock.now()
    reminder = reminders.remind(plant, ticket, now)
    ticket.remind_at = reminder.next_at
    if not (reminder.recipients or reminder.digested):
        return None
    step = reminders.step_of(ticket)
    for person in reminder.digested:
        uow.reminders.gather(person, ticket.code, step, now)
    event = TicketReminded(ticket.code, reminder.level, reminder.recipients, reminder.repeat,
                           reminder.digested)
    record_event(uow, clock, event)
    return event


def digest_readers(plant: Plant) -> list[str]:
    return [person.id for person in plant.people if person.digest]


def next_digest_at(
    plant: Plant, oldest: Mapping[str, datetime], last: Mapping[str, date]
) -> datetime | None:
    """When the next digest is due (in the past: one is late), given when each reader's
    oldest gathered reminder came and the day of their last digest."""
    return min(
        (reminders.digest_time(plant, reminders.digest_day(plant, since, last.get(person)))
         for person, since in oldest.items() if person in digest_readers(plant)),
        default=None,
    )


def send_digests(*, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[DigestCompiled]:
    """Each reader whose digest time came gets one digest of the day, with the gathered
    reminders whose step is still theirs; the day is claimed first, so a second process or
    a restart sends none."""
    now = clock.now()
    oldest, last = uow.reminders.oldest_gathered(), uow.reminders.last_digests()
    events: list[DigestCompiled] = []
    for person in digest_readers(plant):
        if person not in oldest:
            continue
        day = reminders.digest_day(plant, oldest[person], last.get(person))
        if reminders.digest_time(plant, day) > now:
            continue
        if not uow.reminders.claim_digest(person, day, now):
            continue
        gathered = uow.reminders.gathered(person)
        tickets = {g.ticket: uow.tickets.get(g.ticket) for g in gathered}
        codes = dict.fromkeys(
            g.ticket for g in gathered
            if reminders.still_due(plant, person, tickets[g.ticket], g.step)
        )
        uow.reminders.forget([g.id for g in gathered])
        if codes:
            event = DigestCompiled(person, day.isoformat(), tuple(codes))
            uow.record(event)
            events.append(event)
    return events

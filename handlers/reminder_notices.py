"""Who hears of reminders: the holder of a ticket's step, and a digest reader once a day.

Registered at start-up beside `handlers.notifications`; like them the messages are written
in the transaction of the sweep that recorded the event.
"""

from __future__ import annotations

from core.events import DigestCompiled, TicketReminded
from core.ports import TicketFilter, UnitOfWork
from core.tickets import Ticket
from handlers import render
from handlers.context import Notifier, Services
from handlers.i18n import t


def subscribe(services: Services) -> None:
    def reminded(event: TicketReminded, uow: UnitOfWork) -> None:
        ticket = uow.tickets.get(event.code)
        if ticket is None:
            raise LookupError(f"event about an unknown ticket: {event!r}")
        _reminded(Notifier(services, uow), ticket, event)

    def digest(event: DigestCompiled, uow: UnitOfWork) -> None:
        _digest(Notifier(services, uow), event)

    services.events.subscribe(TicketReminded, reminded)
    services.events.subscribe(DigestCompiled, digest)


def _reminded(notify: Notifier, ticket: Ticket, event: TicketReminded) -> None:
    """Each holder gets the card with its buttons, so the reminder can be acted on at once."""
    plant = notify.services.plant
    key = "ticket.reminder_repeat" if event.repeat else "ticket.reminder"
    for person in event.recipients:
        notify.to_person(
            person, key, ticket=ticket.code, code=ticket.code, level=event.level,
            due=render.local_time(plant, ticket.due_at),
            buttons=render.ticket_buttons(plant, ticket, reader=person, among=render.WORK),
            card=render.card(plant, ticket, notify.language(person),
                             notify.uow.duplicates.followers(ticket.code)),
        )


def _digest(notify: Notifier, event: DigestCompiled) -> None:
    plant = notify.services.plant
    lang = notify.language(event.person)
    lines = []
    for code in event.tickets:
        ticket = notify.uow.tickets.get(code)
        if ticket is None:
            continue
        lines.append(t(
            lang, "digest.line", code=ticket.code, status=t(lang, f"status.{ticket.status}"),
            area=render.area_name(plant, ticket.area, lang),
            due=render.local_time(plant, TicketFilter.deadline(ticket)),
        ))
    if lines:
        notify.to_person(event.person, "digest.body", day=event.day, count=len(lines),
                         tickets="\n".join(lines))

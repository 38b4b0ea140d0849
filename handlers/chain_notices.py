"""Chains in motion: what they do when their ticket moves, and who hears of what in one.

`subscribe` registers, once at start-up and before the ticket notifications (so a new
ticket's cards already show its chain's hold on the team's buttons): a new ticket may open
a chain; a ticket that ends another way stops its chain; a closed one keeps its close
cycle. Then one table says who hears of each chain event, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from core.chain_events import (
    ChainCancelled,
    ChainOpened,
    StepConfirmed,
    StepDone,
    StepEvent,
    StepHandedOver,
    StepOpened,
    StepReminded,
    StepWarned,
)
from core.chain_services import cancel_chain, note_closed, open_chain
from core.chains import Chain, ChainStep
from core.events import TicketActed, TicketClosed, TicketOpened
from core.ports import UnitOfWork
from core.tickets import Ticket
from handlers import chain_render, render
from handlers.context import Notifier, Services
from handlers.reporter_notices import SYSTEM, tell_reporter


class _AboutTicket(Protocol):
    @property
    def code(self) -> str: ...


T = TypeVar("T", bound=_AboutTicket)


def subscribe(services: Services) -> None:
    events = services.events
    events.subscribe(TicketOpened, _react(services, _opened))
    events.subscribe(TicketActed, _react(services, _acted))
    for kind, tell in ABOUT_CHAIN.items():
        events.subscribe(kind, _about_chain(services, tell))


def _react(
    services: Services, act: Callable[[Services, UnitOfWork, T], None]
) -> Callable[[T, UnitOfWork], None]:
    def subscriber(event: T, uow: UnitOfWork) -> None:
        act(services, uow, event)

    return subscriber


def _opened(services: Services, uow: UnitOfWork, event: TicketOpened) -> None:
    open_chain(event.code, uow=uow, plant=services.plant, clock=services.clock)


def _acted(services: Services, uow: UnitOfWork, event: TicketActed) -> None:
    """A chain ticket judged a duplicate or invalid stops its steps; one closed keeps its
    close cycle for the monthly report."""
    ticket = uow.tickets.get(event.code)
    if ticket is None:
        return
    if isinstance(event, TicketClosed):
        note_closed(event.code, uow=uow)
    elif not ticket.is_open:
        cancel_chain(event.code, uow=uow, clock=services.clock)


def _about_chain(
    services: Services, tell: Callable[[Notifier, Ticket, Chain, T], None]
) -> Callable[[T, UnitOfWork], None]:
    """A subscriber handed the ticket and its chain as they stand at commit."""

    def subscriber(event: T, uow: UnitOfWork) -> None:
        ticket, chain = uow.tickets.get(event.code), uow.chains.get(event.code)
        if ticket is None or chain is None:
            raise LookupError(f"chain event about an unknown ticket or chain: {event!r}")
        tell(Notifier(services, uow), ticket, chain, event)

    return subscriber


def _step(chain: Chain, event: StepEvent) -> ChainStep:
    step = chain.step(event.step)
    if step is None:
        raise LookupError(f"{event.code} has no step {event.step!r}")
    return step


def _first_photo(ticket: Ticket) -> str | None:
    return ticket.photos[0] if ticket.photos else None


def _task(notify: Notifier, ticket: Ticket, chain: Chain, step: ChainStep, key: str,
          **values: object) -> None:
    """The step's task for its holder, with the buttons they can press."""
    if not step.holder:
        return
    plant, lang = notify.services.plant, notify.language(step.holder)
    notify.to_person(
        step.holder, key, buttons=chain_render.step_buttons(step), image=_first_photo(ticket),
        ticket=ticket.code, code=ticket.code, chain=chain.label(lang),
        step=chain_render.step_title(plant, step, lang), owed=chain_render.owed(plant, step, lang),
        card=render.card(plant, ticket, lang, notify.uow.duplicates.followers(ticket.code)),
        values=values,
    )


def _tell_reporter(notify: Notifier, ticket: Ticket, chain: Chain, key: str, *,
                   by: str | None, step: ChainStep | None = None, **values: object) -> None:
    """As every reporter notice (handlers/reporter_notices.py): signed with who and when,
    and heard by whoever joined the ticket, each in their language."""
    plant = notify.services.plant

    def localised(lang: str) -> dict[str, object]:
        return {"chain": chain.label(lang), "steps": chain_render.steps_list(plant, chain, lang),
                "step": chain_render.step_title(plant, step, lang) if step else "",
                "progress": chain_render.progress(chain), **values}

    tell_reporter(notify, ticket, key, by=by, localised=localised)


def _chain_opened(notify: Notifier, ticket: Ticket, chain: Chain, event: ChainOpened) -> None:
    """A routing rule opens it with the ticket, unsigned as the ticket's own receipt is."""
    by = None if event.actor == SYSTEM else event.actor
    _tell_reporter(notify, ticket, chain, "chain.reporter_opened", by=by)


def _step_opened(notify: Notifier, ticket: Ticket, chain: Chain, event: StepOpened) -> None:
    _task(notify, ticket, chain, _step(chain, event), "chain.task")


def _handed_over(notify: Notifier, ticket: Ticket, chain: Chain, event: StepHandedOver) -> None:
    actor = render.person_name(notify.services.plant, event.handed_by)
    _task(notify, ticket, chain, _step(chain, event), "chain.task_handed", actor=actor)


def _confirmed(notify: Notifier, ticket: Ticket, chain: Chain, event: StepConfirmed) -> None:
    promised = render.local_time(notify.services.plant, event.promised_at)
    _tell_reporter(notify, ticket, chain, "chain.reporter_confirmed", by=event.holder,
                   step=_step(chain, event), promised=promised)


def _done(notify: Notifier, ticket: Ticket, chain: Chain, event: StepDone) -> None:
    _tell_reporter(notify, ticket, chain, "chain.reporter_done", by=event.holder,
                   step=_step(chain, event))


def _reminded(notify: Notifier, ticket: Ticket, chain: Chain, event: StepReminded) -> None:
    _task(notify, ticket, chain, _step(chain, event), "chain.reminder")


def _warned(notify: Notifier, ticket: Ticket, chain: Chain, event: StepWarned) -> None:
    """One warning to the holder's superior, for their mailbox where they have one (a chat
    message otherwise, so it is not lost); no buttons: nothing is pressed in a mail."""
    services, step = notify.services, _step(chain, event)
    plant, superior, now = services.plant, event.superior, services.clock.now()
    lang = notify.language(superior)
    mailboxes = {keys.channel for keys in services.plant_keys if keys.mailbox}
    reached = notify.addresses(superior)
    targets = [(c, a) for c, a in reached if c in mailboxes] or reached[:1]
    key = "chain.warning_done" if event.confirmed else "chain.warning_confirm"
    values = {
        "code": ticket.code, "chain": chain.label(lang),
        "step": chain_render.step_title(plant, step, lang),
        "holder": render.person_name(plant, event.holder),
        "missed": render.local_time(plant, event.missed), "now": render.local_time(plant, now),
        "hours": chain_render.hours(now - event.missed) if event.missed else "-",
        "card": render.card(plant, ticket, lang, notify.uow.duplicates.followers(ticket.code)),
    }
    for channel, address in targets:
        notify.to_chat(channel, address, lang, key, person=superior, ticket=ticket.code,
                       values=values)


def _cancelled(notify: Notifier, ticket: Ticket, chain: Chain, event: ChainCancelled) -> None:
    for holder in dict.fromkeys(event.holders):
        lang = notify.language(holder)
        notify.to_person(holder, "chain.cancelled", ticket=ticket.code, code=ticket.code,
                         chain=chain.label(lang))


# Who hears of what in a chain: each event and the notification it sends.
ABOUT_CHAIN: dict[type[Any], Callable[[Notifier, Ticket, Chain, Any], None]] = {
    ChainOpened: _chain_opened,
    StepOpened: _step_opened,
    StepHandedOver: _handed_over,
    StepConfirmed: _confirmed,
    StepDone: _done,
    StepReminded: _reminded,
    StepWarned: _warned,
    ChainCancelled: _cancelled,
}

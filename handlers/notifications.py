"""Who hears about what: domain events turned into outbox messages, declared in one place.

`subscribe` registers each subscriber once at start-up; the unit of work runs them just
before it commits, so the messages are written in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from core.events import (
    FixConfirmed,
    PointsChanged,
    RejectionOverruled,
    RejectionUpheld,
    TicketAccepted,
    TicketActed,
    TicketClosed,
    TicketEscalated,
    TicketJudged,
    TicketOpened,
    TicketReassigned,
    TicketRejected,
    TicketReopened,
    TicketResolved,
    TicketStarted,
)
from core.pictures import BeforeAfter
from core.plant import Role
from core.ports import UnitOfWork
from core.tickets import Action, Status, Ticket
from handlers import duplicates, major_notices, render, round_notices, shop_notices, warnings
from handlers.context import Notifier, Services
from handlers.i18n import t
from handlers.reporter_notices import SYSTEM, fix_confirmed, not_fixed, tell_reporter


class _AboutTicket(Protocol):
    @property
    def code(self) -> str: ...


E = TypeVar("E")
T = TypeVar("T", bound=_AboutTicket)


def subscribe(services: Services) -> None:
    """Register every notification with the app's event registry, once, at start-up."""
    for kind, tell in (*ABOUT_TICKET.items(), *major_notices.ABOUT_MAJOR.items()):
        services.events.subscribe(kind, _about_ticket(services, tell))
    services.events.subscribe(PointsChanged, _with_notifier(services, _points_changed))
    round_notices.subscribe(services)  # inspection rounds: the day's list, reminder, missed
    shop_notices.subscribe(services)  # shop orders and their decisions, adjusted points
    duplicates.subscribe(services)  # photo prints kept, joins, a reused photo's lost points
    warnings.subscribe(services)  # a new trend warning, to the safety managers


def _with_notifier(
    services: Services, tell: Callable[[Notifier, E], None]
) -> Callable[[E, UnitOfWork], None]:
    def subscriber(event: E, uow: UnitOfWork) -> None:
        tell(Notifier(services, uow), event)

    return subscriber


def _about_ticket(
    services: Services, tell: Callable[[Notifier, Ticket, T], None]
) -> Callable[[T, UnitOfWork], None]:
    """A subscriber that is handed the ticket as it stands when the transaction commits."""

    def subscriber(event: T, uow: UnitOfWork) -> None:
        ticket = uow.tickets.get(event.code)
        if ticket is None:
            raise LookupError(f"event about an unknown ticket: {event!r}")
        tell(Notifier(services, uow), ticket, event)

    return subscriber


def _points_changed(notify: Notifier, event: PointsChanged) -> None:
    balance = notify.uow.points.balance(event.person)
    notify.to_person(
        event.person, "points.changed", ticket=event.ticket,
        delta=f"{event.delta:+d}", code=event.ticket, balance=balance,
    )


def _card_to(
    notify: Notifier, person: str, ticket: Ticket, key: str, *, everywhere: bool = False,
    **values: object,
) -> None:
    lang = notify.language(person)
    notify.to_person(
        person, key, image=_first_photo(ticket),
        buttons=render.ticket_buttons(notify.services.plant, ticket, reader=person,
                                      among=(*render.WORK, *render.GRADE)),
        ticket=ticket.code, everywhere=everywhere, values=values,
        card=render.card(notify.services.plant, ticket, lang,
                         notify.uow.duplicates.followers(ticket.code)),
    )


def _first_photo(ticket: Ticket) -> str | None:
    return ticket.photos[0] if ticket.photos else None


def _team_lead(notify: Notifier, ticket: Ticket) -> str | None:
    team = notify.services.plant.teams_by_id.get(ticket.team)
    return team.lead if team else None


def _safety_officers(notify: Notifier) -> list[str]:
    return [p.id for p in notify.services.plant.with_role(Role.SAFETY_OFFICER)]


def _opened(notify: Notifier, ticket: Ticket, event: TicketOpened) -> None:
    tell_reporter(notify, ticket, "report.submitted")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.assigned")
    plant = notify.services.plant
    notify.to_team_groups(
        ticket.team, "ticket.assigned",
        buttons=render.ticket_buttons(plant, ticket, among=render.WORK),
        image=_first_photo(ticket), ticket=ticket.code,
        card=render.card(plant, ticket, plant.language),
    )
    for officer in _safety_officers(notify):
        notify.to_person(
            officer, "ticket.validate",
            buttons=render.ticket_buttons(plant, ticket, reader=officer, among=render.JUDGE),
            image=_first_photo(ticket), ticket=ticket.code, photos=len(ticket.photos),
            card=duplicates.judge_card(plant, ticket, notify.language(officer)),
        )
        for n, photo in enumerate(ticket.photos[1:], start=2):
            notify.to_person(officer, "ticket.photo", image=photo, ticket=ticket.code,
                             code=ticket.code, n=n, total=len(ticket.photos))


def _escalated(notify: Notifier, ticket: Ticket, event: TicketEscalated) -> None:
    """The rung above is asked to act, on every channel they have unless the plant says
    otherwise; the team and the reporter hear that it went up."""
    plant = notify.services.plant
    # A critical ticket tells every rung at once: each hears that the whole ladder was told.
    key = "ticket.escalated_all" if event.passed else "ticket.escalated"
    for person in event.recipients:
        _card_to(notify, person, ticket, key, level=event.level,
                 everywhere=plant.escalation_everywhere)
    lead = _team_lead(notify, ticket)
    if lead and lead not in event.recipients:
        to = "、".join(render.person_name(plant, p) for p in event.recipients) or "-"
        notify.to_person(lead, "ticket.escalated_lead", ticket=ticket.code, code=ticket.code,
                         level=event.level, to=to)
    lang = notify.language(ticket.reporter)
    tell_reporter(notify, ticket, "reporter.escalated", by=SYSTEM,
                  role=t(lang, f"role.{event.role}"))


def _worked(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    actor = render.person_name(notify.services.plant, event.actor)
    tell_reporter(notify, ticket, f"reporter.{event.action}", by=event.actor, named=True,
                  actor=actor)
    _card_to(notify, event.actor, ticket, "ticket.next")


def _resolved(notify: Notifier, ticket: Ticket, event: TicketResolved) -> None:
    picture = _before_after(notify, ticket)
    plant = notify.services.plant
    # With the picture, the reporter's own word on it: 已解决 or 未解决.
    tell_reporter(notify, ticket, "reporter.done", by=event.actor, named=True, picture=picture,
                  buttons=render.ticket_buttons(plant, ticket, reader=ticket.reporter,
                                                among=render.CONFIRM),
                  actor=render.person_name(plant, event.actor))
    joined_by = notify.uow.duplicates.followers(ticket.code)
    for officer in _safety_officers(notify):
        notify.to_person(
            officer, "ticket.verify", picture=picture,
            buttons=render.ticket_buttons(plant, ticket, reader=officer, among=render.WORK),
            ticket=ticket.code,
            card=render.card(plant, ticket, notify.language(officer), joined_by),
        )


def _before_after(notify: Notifier, ticket: Ticket) -> BeforeAfter | None:
    """What to draw: the before/after picture, labelled in the plant's language. The
    delivery worker draws it, so no image is rendered inside this transaction."""
    if not (ticket.photos and ticket.after_photo):
        return None
    plant = notify.services.plant
    lang = plant.language
    title = t(lang, "picture.title", code=ticket.code,
              date=render.local_date(plant, ticket.resolved_at or ticket.created_at))
    labels = (t(lang, "picture.before", at=render.local_time(plant, ticket.created_at)),
              t(lang, "picture.after", at=render.local_time(plant, ticket.resolved_at)))
    return BeforeAfter(ticket.photos[0], ticket.after_photo, labels, title)


def _rejected(notify: Notifier, ticket: Ticket, event: TicketRejected) -> None:
    """A team's rejection is not the last word: the safety officers decide whether it stands."""
    plant = notify.services.plant
    actor = render.person_name(plant, event.actor)
    tell_reporter(notify, ticket, "reporter.reject", by=event.actor, named=True, actor=actor,
                  reason=event.reason or "")
    joined_by = notify.uow.duplicates.followers(ticket.code)
    for officer in _safety_officers(notify):
        if officer != event.actor:
            notify.to_person(
                officer, "officer.decide",
                buttons=render.ticket_buttons(plant, ticket, reader=officer, among=render.DECIDE),
                image=_first_photo(ticket), ticket=ticket.code, code=ticket.code, actor=actor,
                reason=event.reason or "",
                card=render.card(plant, ticket, notify.language(officer), joined_by),
            )


def _upheld(notify: Notifier, ticket: Ticket, event: RejectionUpheld) -> None:
    tell_reporter(notify, ticket, "reporter.upheld", by=event.actor, reason=ticket.reason or "")
    lead = _team_lead(notify, ticket)
    if lead:
        notify.to_person(lead, "lead.upheld", ticket=ticket.code, code=ticket.code,
                         actor=render.person_name(notify.services.plant, event.actor))


def _overruled(notify: Notifier, ticket: Ticket, event: RejectionOverruled) -> None:
    """The lead who rejected hears why; the team now holding it gets the card to work."""
    actor = render.person_name(notify.services.plant, event.actor)
    tell_reporter(notify, ticket, "reporter.overruled", by=event.actor)
    teams = notify.services.plant.teams_by_id
    before = teams.get(event.previous_team or ticket.team)
    if before and before.lead and event.previous_team:
        notify.to_person(before.lead, "lead.overruled", ticket=ticket.code, code=ticket.code,
                         actor=actor, reason=event.reason or "")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.overruled", code=ticket.code, actor=actor,
                 reason=event.reason or "")


def _reassigned(notify: Notifier, ticket: Ticket, event: TicketReassigned) -> None:
    tell_reporter(notify, ticket, "reporter.reassign", by=event.actor)
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.assigned")


def _closed(notify: Notifier, ticket: Ticket, event: TicketClosed) -> None:
    tell_reporter(notify, ticket, "reporter.close", by=event.actor)
    lead = _team_lead(notify, ticket)
    if lead:
        notify.to_person(lead, "lead.closed", ticket=ticket.code, code=ticket.code)


def _reopened(notify: Notifier, ticket: Ticket, event: TicketReopened) -> None:
    if event.action is Action.NOT_FIXED:
        not_fixed(notify, ticket, event)  # the reporter's own word: told to team and verifiers
        return
    tell_reporter(notify, ticket, "reporter.reopen", by=event.actor, reason=event.reason or "")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.reopened", reason=event.reason or "")


def _validated(notify: Notifier, ticket: Ticket, event: TicketJudged) -> None:
    tell_reporter(
        notify, ticket, f"reporter.{event.action}", by=event.actor, reason=event.reason or "",
        original=ticket.duplicate_of or "",
    )
    lead = _team_lead(notify, ticket)
    if lead and event.action is not Action.VALID:
        notify.to_person(lead, "lead.withdrawn", ticket=ticket.code, code=ticket.code)
    elif lead and event.previous_status is Status.REJECTED:
        _card_to(notify, lead, ticket, "ticket.reinstated", code=ticket.code,
                 actor=render.person_name(notify.services.plant, event.actor))


# Who hears of what, in one table: each ticket event and the notification it sends.
ABOUT_TICKET: dict[type[Any], Callable[[Notifier, Ticket, Any], None]] = {
    TicketOpened: _opened,
    TicketEscalated: _escalated,
    TicketAccepted: _worked,
    TicketStarted: _worked,
    TicketResolved: _resolved,
    TicketRejected: _rejected,
    TicketReassigned: _reassigned,
    TicketClosed: _closed,
    TicketReopened: _reopened,
    FixConfirmed: fix_confirmed,
    TicketJudged: _validated,
    RejectionUpheld: _upheld,
    RejectionOverruled: _overruled,
}

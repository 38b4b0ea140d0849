"""Who hears about what: domain events turned into outbox messages, in one map."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.events import Event, PointsChanged, TicketActed, TicketEscalated, TicketOpened
from core.plant import Role
from core.tickets import Action, Status, Ticket
from handlers import render
from handlers.context import Notifier
from handlers.i18n import t
from reports.before_after import before_after


def publish(notify: Notifier, events: Iterable[Event]) -> None:
    for event in events:
        if isinstance(event, PointsChanged):
            balance = notify.uow.points.balance(event.person)
            notify.to_person(
                event.person, "points.changed", ticket=event.ticket,
                delta=f"{event.delta:+d}", code=event.ticket, balance=balance,
            )
            continue
        ticket = notify.uow.tickets.get(event.code)
        assert ticket is not None, event
        if isinstance(event, TicketOpened):
            _opened(notify, ticket)
        elif isinstance(event, TicketEscalated):
            _escalated(notify, ticket, event)
        else:
            ON_ACTION[event.action](notify, ticket, event)


def _card_to(notify: Notifier, person: str, ticket: Ticket, key: str, **values: object) -> None:
    lang = notify.language(person)
    notify.to_person(
        person, key, buttons=render.work_buttons(ticket), image=_first_photo(ticket),
        ticket=ticket.code, card=render.card(notify.services.plant, ticket, lang), values=values,
    )


def _first_photo(ticket: Ticket) -> str | None:
    return ticket.photos[0] if ticket.photos else None


def _team_lead(notify: Notifier, ticket: Ticket) -> str | None:
    team = notify.services.plant.teams_by_id.get(ticket.team)
    return team.lead if team else None


def _safety_officers(notify: Notifier) -> list[str]:
    return [p.id for p in notify.services.plant.with_role(Role.SAFETY_OFFICER)]


def _tell_reporter(notify: Notifier, ticket: Ticket, key: str, **values: object) -> None:
    lang = notify.language(ticket.reporter)
    plant = notify.services.plant
    notify.to_person(
        ticket.reporter, key, ticket=ticket.code, code=ticket.code,
        team=render.team_name(plant, ticket.team, lang), values=values,
    )


def _opened(notify: Notifier, ticket: Ticket) -> None:
    _tell_reporter(notify, ticket, "report.submitted")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.assigned")
    plant = notify.services.plant
    notify.to_team_groups(
        ticket.team, "ticket.assigned", buttons=render.work_buttons(ticket),
        image=_first_photo(ticket), ticket=ticket.code,
        card=render.card(plant, ticket, plant.language),
    )
    for officer in _safety_officers(notify):
        notify.to_person(
            officer, "ticket.validate", buttons=render.validation_buttons(ticket),
            image=_first_photo(ticket), ticket=ticket.code, photos=len(ticket.photos),
            card=render.card(plant, ticket, notify.language(officer)),
        )
        for n, photo in enumerate(ticket.photos[1:], start=2):
            notify.to_person(officer, "ticket.photo", image=photo, ticket=ticket.code,
                             code=ticket.code, n=n, total=len(ticket.photos))


def _escalated(notify: Notifier, ticket: Ticket, event: TicketEscalated) -> None:
    """The rung above is asked to act; the team and the reporter hear that it went up."""
    plant = notify.services.plant
    for person in event.recipients:
        _card_to(notify, person, ticket, "ticket.escalated", level=event.level)
    lead = _team_lead(notify, ticket)
    if lead and lead not in event.recipients:
        to = "、".join(render.person_name(plant, p) for p in event.recipients) or "-"
        notify.to_person(lead, "ticket.escalated_lead", ticket=ticket.code, code=ticket.code,
                         level=event.level, to=to)
    lang = notify.language(ticket.reporter)
    _tell_reporter(notify, ticket, "reporter.escalated", role=t(lang, f"role.{event.role}"))


def _worked(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    actor = render.person_name(notify.services.plant, event.actor)
    _tell_reporter(notify, ticket, f"reporter.{event.action}", actor=actor)
    _card_to(notify, event.actor, ticket, "ticket.next")


def _resolved(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    image = _before_after(notify, ticket)
    actor = render.person_name(notify.services.plant, event.actor)
    lang = notify.language(ticket.reporter)
    notify.to_person(
        ticket.reporter, "reporter.done", image=image, ticket=ticket.code, code=ticket.code,
        actor=actor, team=render.team_name(notify.services.plant, ticket.team, lang),
    )
    plant = notify.services.plant
    for officer in _safety_officers(notify):
        notify.to_person(
            officer, "ticket.verify", buttons=render.work_buttons(ticket), image=image,
            ticket=ticket.code, card=render.card(plant, ticket, notify.language(officer)),
        )


def _before_after(notify: Notifier, ticket: Ticket) -> str | None:
    """The before/after picture, labelled in the plant's language, kept in the photo store."""
    if not (ticket.photos and ticket.after_photo):
        return None
    plant, photos = notify.services.plant, notify.services.photos
    lang = plant.language
    title = t(lang, "picture.title", code=ticket.code,
              date=render.local_date(plant, ticket.resolved_at or ticket.created_at))
    labels = (t(lang, "picture.before", at=render.local_time(plant, ticket.created_at)),
              t(lang, "picture.after", at=render.local_time(plant, ticket.resolved_at)))
    pair = before_after(photos.read(ticket.photos[0]), photos.read(ticket.after_photo),
                        labels=labels, title=title)
    return photos.store(pair).sha256


def _rejected(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    """A team's rejection is not the last word: the safety officers decide whether it stands."""
    plant = notify.services.plant
    actor = render.person_name(plant, event.actor)
    _tell_reporter(notify, ticket, "reporter.reject", actor=actor, reason=event.reason or "")
    for officer in _safety_officers(notify):
        if officer != event.actor:
            notify.to_person(
                officer, "officer.decide", buttons=render.decision_buttons(ticket),
                image=_first_photo(ticket), ticket=ticket.code, code=ticket.code, actor=actor,
                reason=event.reason or "", card=render.card(plant, ticket,
                                                            notify.language(officer)),
            )


def _upheld(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    _tell_reporter(notify, ticket, "reporter.upheld", reason=ticket.reason or "")
    lead = _team_lead(notify, ticket)
    if lead:
        notify.to_person(lead, "lead.upheld", ticket=ticket.code, code=ticket.code,
                         actor=render.person_name(notify.services.plant, event.actor))


def _overruled(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    """The lead who rejected hears why; the team now holding it gets the card to work."""
    actor = render.person_name(notify.services.plant, event.actor)
    _tell_reporter(notify, ticket, "reporter.overruled")
    teams = notify.services.plant.teams_by_id
    before = teams.get(event.previous_team or ticket.team)
    if before and before.lead and event.previous_team:
        notify.to_person(before.lead, "lead.overruled", ticket=ticket.code, code=ticket.code,
                         actor=actor, reason=event.reason or "")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.overruled", code=ticket.code, actor=actor,
                 reason=event.reason or "")


def _reassigned(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    _tell_reporter(notify, ticket, "reporter.reassign")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.assigned")


def _closed(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    _tell_reporter(notify, ticket, "reporter.close")
    lead = _team_lead(notify, ticket)
    if lead:
        notify.to_person(lead, "lead.closed", ticket=ticket.code, code=ticket.code)


def _reopened(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    _tell_reporter(notify, ticket, "reporter.reopen", reason=event.reason or "")
    lead = _team_lead(notify, ticket)
    if lead:
        _card_to(notify, lead, ticket, "ticket.reopened", reason=event.reason or "")


def _validated(notify: Notifier, ticket: Ticket, event: TicketActed) -> None:
    _tell_reporter(
        notify, ticket, f"reporter.{event.action}", reason=event.reason or "",
        original=ticket.duplicate_of or "",
    )
    lead = _team_lead(notify, ticket)
    if lead and event.action is not Action.VALID:
        notify.to_person(lead, "lead.withdrawn", ticket=ticket.code, code=ticket.code)
    elif lead and event.previous_status is Status.REJECTED:
        _card_to(notify, lead, ticket, "ticket.reinstated", code=ticket.code,
                 actor=render.person_name(notify.services.plant, event.actor))


ON_ACTION: dict[Action, Callable[[Notifier, Ticket, TicketActed], None]] = {
    Action.ACCEPT: _worked,
    Action.START: _worked,
    Action.DONE: _resolved,
    Action.REJECT: _rejected,
    Action.REASSIGN: _reassigned,
    Action.CLOSE: _closed,
    Action.REOPEN: _reopened,
    Action.VALID: _validated,
    Action.DUPLICATE: _validated,
    Action.INVALID: _validated,
    Action.UPHOLD: _upheld,
    Action.OVERRULE: _overruled,
}

"""What the reporter hears of their ticket, each step signed with who and when; and what the
reporter's own word on a fix (已解决 / 未解决) tells the team and the verifiers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from core.events import FixConfirmed, TicketReopened
from core.pictures import Picture
from core.plant import Role
from core.tickets import Status, Ticket
from handlers import render
from handlers.context import ButtonSpec, Notifier
from handlers.i18n import t

# `by` for a step nobody took: a deadline passed and the ticket went up the ladder.
SYSTEM = "system"


# Values of a notice that read differently in each language (a chain's step names…).
Localised = Callable[[str], Mapping[str, object]]


def tell_reporter(
    notify: Notifier, ticket: Ticket, key: str, *, by: str | None = None, named: bool = False,
    picture: Picture | None = None, buttons: Sequence[ButtonSpec] = (),
    localised: Localised | None = None, **values: object,
) -> None:
    """Tell the reporter `key` about their ticket; with `by`, signed with who took the step
    and when (only when, if the text names them already: `named`). `localised` gives the
    values that depend on the reader's language, for each reader.

    Whoever joined the ticket instead of reporting it again (core/duplicates.py) hears the
    same, without the reporter's own buttons. Nobody is told of a step they took themselves:
    their press was answered.
    """
    for person in (ticket.reporter, *notify.uow.duplicates.followers(ticket.code)):
        if by is not None and by == person:
            continue
        _tell(notify, ticket, person, key, by=by, named=named, picture=picture,
              buttons=buttons if person == ticket.reporter else (), values=values,
              localised=localised)


def _tell(
    notify: Notifier, ticket: Ticket, person: str, key: str, *, by: str | None, named: bool,
    picture: Picture | None, buttons: Sequence[ButtonSpec], values: dict[str, object],
    localised: Localised | None,
) -> None:
    plant = notify.services.plant
    lang = notify.language(person)
    notice = t(lang, key, **{"code": ticket.code,
                             "team": render.team_name(plant, ticket.team, lang), **values,
                             **(localised(lang) if localised else {})})
    if by is None:
        notify.to_person(person, "reporter.notice", picture=picture, buttons=buttons,
                         ticket=ticket.code, notice=notice)
        return
    when = render.local_time(plant, notify.services.clock.now())
    who = t(lang, "reporter.by_system") if by == SYSTEM else render.person_name(plant, by)
    notify.to_person(
        person, "reporter.signed_at" if named else "reporter.signed",
        picture=picture, buttons=buttons, ticket=ticket.code, notice=notice, who=who, when=when,
    )


def not_fixed(notify: Notifier, ticket: Ticket, event: TicketReopened) -> None:
    """The reporter says the fix did not hold: the team gets the work back with their words
    or photo, and the safety officers, who verify fixes, hear it too."""
    plant = notify.services.plant
    actor = render.person_name(plant, event.actor)
    image = event.photo or (ticket.photos[0] if ticket.photos else None)
    team = plant.teams_by_id.get(ticket.team)
    joined_by = notify.uow.duplicates.followers(ticket.code)
    if team and team.lead:
        lang = notify.language(team.lead)
        notify.to_person(
            team.lead, "ticket.not_fixed", image=image, ticket=ticket.code,
            buttons=render.ticket_buttons(plant, ticket, reader=team.lead, among=render.WORK),
            card=render.card(plant, ticket, lang, joined_by), actor=actor,
            reason=_why(lang, event),
        )
    notify.to_team_groups(
        ticket.team, "ticket.not_fixed", image=image, ticket=ticket.code,
        buttons=render.ticket_buttons(plant, ticket, among=render.WORK),
        card=render.card(plant, ticket, plant.language, joined_by), actor=actor,
        reason=_why(plant.language, event),
    )
    for officer in plant.with_role(Role.SAFETY_OFFICER):
        lang = notify.language(officer.id)
        notify.to_person(officer.id, "officer.not_fixed", image=image, ticket=ticket.code,
                         code=ticket.code, actor=actor, reason=_why(lang, event))


def _why(lang: str, event: TicketReopened) -> str:
    return event.reason or t(lang, "not_fixed.see_photo")


def fix_confirmed(notify: Notifier, ticket: Ticket, event: FixConfirmed) -> None:
    """The reporter's 已解决 is a reason for the safety officers to sign the fix off now."""
    if ticket.status is not Status.RESOLVED:
        return  # closed already: nobody needs to act
    plant = notify.services.plant
    actor = render.person_name(plant, event.actor)
    for officer in plant.with_role(Role.SAFETY_OFFICER):
        notify.to_person(
            officer.id, "officer.fix_confirmed", ticket=ticket.code, code=ticket.code,
            actor=actor,
            buttons=render.ticket_buttons(plant, ticket, reader=officer.id, among=render.WORK),
        )

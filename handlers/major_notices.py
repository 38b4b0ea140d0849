"""Who hears of a major hazard: the plant manager at once, the team, the reporter, and the
safety managers who must accept the fix. Registered by `handlers.notifications.subscribe`
from `ABOUT_MAJOR`, so the messages are written in the transaction of the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from core.events import (
    MajorAcceptanceRequested,
    MajorHazardAccepted,
    RemediationPlanEntered,
    TicketGradedMajor,
    TicketResolved,
)
from core.major_hazards import acceptors, plant_managers
from core.tickets import Ticket
from handlers import render
from handlers.context import ButtonSpec, Notifier
from handlers.major_answers import plan_button
from handlers.reporter_notices import tell_reporter


def _lead(notify: Notifier, ticket: Ticket) -> str | None:
    team = notify.services.plant.teams_by_id.get(ticket.team)
    return team.lead if team else None


def _card(notify: Notifier, person: str, ticket: Ticket, key: str, *,
          buttons: Iterable[ButtonSpec] = (), everywhere: bool = False,
          values: Mapping[str, object]) -> None:
    plant = notify.services.plant
    notify.to_person(
        person, key, ticket=ticket.code, buttons=list(buttons), everywhere=everywhere,
        image=ticket.photos[0] if ticket.photos else None,
        card=render.card(plant, ticket, notify.language(person),
                         notify.uow.duplicates.followers(ticket.code)), code=ticket.code,
        values=values,
    )


def _graded(notify: Notifier, ticket: Ticket, event: TicketGradedMajor) -> None:
    """The plant manager hears at once, on every channel; whoever may enter the plan gets a
    button for it; the reporter and the team's group hear it too."""
    plant = notify.services.plant
    actor = render.person_name(plant, event.actor)
    for manager in plant_managers(plant):
        _card(notify, manager, ticket, "major.graded_manager", everywhere=True,
              values={"actor": actor})
    for person in dict.fromkeys(p for p in (_lead(notify, ticket), event.actor) if p):
        _card(notify, person, ticket, "major.plan_needed", buttons=[plan_button(ticket.code)],
              values={"actor": actor})
    tell_reporter(notify, ticket, "reporter.major", by=event.actor)
    notify.to_team_groups(ticket.team, "major.graded_team", ticket=ticket.code,
                          code=ticket.code, actor=actor)


def _planned(notify: Notifier, ticket: Ticket, event: RemediationPlanEntered) -> None:
    """The lead may start now (the card carries the buttons); the responsible person, the
    safety and plant managers learn the plan."""
    plant = notify.services.plant
    values = dict(
        actor=render.person_name(plant, event.actor),
        responsible=render.person_name(plant, event.responsible), measures=event.measures,
        funds=f"{Decimal(event.funds):,.2f}", deadline=event.deadline,
        emergency_plan=event.emergency_plan,
    )
    lead = _lead(notify, ticket)
    if lead:
        _card(notify, lead, ticket, "major.plan_entered", buttons=render.ticket_buttons(
            plant, ticket, reader=lead, among=render.WORK), values=values)
    others = [event.responsible, *acceptors(plant), *plant_managers(plant)]
    for person in dict.fromkeys(others):
        if person not in (lead, event.actor):
            notify.to_person(person, "major.plan_entered_info", ticket=ticket.code,
                             code=ticket.code, values=values)


def _ask_acceptance(notify: Notifier, ticket: Ticket, key: str, actor: str) -> None:
    plant = notify.services.plant
    for manager in acceptors(plant):
        _card(notify, manager, ticket, key, buttons=render.ticket_buttons(
            plant, ticket, reader=manager, among=render.WORK),
            values={"actor": render.person_name(plant, actor)})


def _resolved(notify: Notifier, ticket: Ticket, event: TicketResolved) -> None:
    """A major hazard's fix goes to the safety managers as well as to the officers."""
    if ticket.is_major:
        _ask_acceptance(notify, ticket, "major.accept_needed", event.actor)


def _requested(notify: Notifier, ticket: Ticket, event: MajorAcceptanceRequested) -> None:
    _ask_acceptance(notify, ticket, "major.accept_requested", event.actor)


def _accepted(notify: Notifier, ticket: Ticket, event: MajorHazardAccepted) -> None:
    plant = notify.services.plant
    for manager in plant_managers(plant):
        notify.to_person(manager, "major.accepted", ticket=ticket.code, code=ticket.code,
                         actor=render.person_name(plant, event.actor))


# Who hears of what about major hazards: each event and the notification it sends.
ABOUT_MAJOR: dict[type[Any], Callable[[Notifier, Ticket, Any], None]] = {
    TicketGradedMajor: _graded,
    RemediationPlanEntered: _planned,
    TicketResolved: _resolved,
    MajorAcceptanceRequested: _requested,
    MajorHazardAccepted: _accepted,
}

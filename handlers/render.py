"""Texts about tickets, composed from catalog strings in the reader's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core import escalation
from core.plant import Plant
from core.tickets import Action, Status, Ticket
from handlers.context import ButtonSpec
from handlers.i18n import t


def local_time(plant: Plant, instant: datetime | None) -> str:
    if instant is None:
        return "-"
    return instant.astimezone(ZoneInfo(plant.timezone)).strftime("%m-%d %H:%M")


def local_date(plant: Plant, instant: datetime) -> str:
    return instant.astimezone(ZoneInfo(plant.timezone)).strftime("%Y-%m-%d")


def person_name(plant: Plant, person_id: str) -> str:
    person = plant.person(person_id)
    return f"{person.name} ({person.id})" if person else person_id


def area_name(plant: Plant, area_id: str, lang: str) -> str:
    area = plant.areas_by_id.get(area_id)
    return area.label(lang) if area else area_id


def team_name(plant: Plant, team_id: str, lang: str) -> str:
    team = plant.teams_by_id.get(team_id)
    return team.label(lang) if team else team_id


def category_name(plant: Plant, category_id: str, lang: str) -> str:
    category = plant.categories_by_id.get(category_id)
    return category.label(lang) if category else category_id


def card(plant: Plant, ticket: Ticket, lang: str) -> str:
    """The ticket as the team and supervisors see it."""
    return t(
        lang, "ticket.card",
        code=ticket.code,
        status=t(lang, f"status.{ticket.status}"),
        severity=t(lang, f"severity.{ticket.severity}"),
        area=area_name(plant, ticket.area, lang),
        equipment=ticket.equipment or t(lang, "equipment.none"),
        category=category_name(plant, ticket.category, lang),
        team=team_name(plant, ticket.team, lang),
        reporter=person_name(plant, ticket.reporter),
        created=local_time(plant, ticket.created_at),
        respond=_respond(plant, ticket, lang),
        resolve=_resolve(plant, ticket, lang),
        description=ticket.description,
    )


def _respond(plant: Plant, ticket: Ticket, lang: str) -> str:
    deadline = local_time(plant, escalation.respond_by(plant, ticket))
    if ticket.acknowledged_at is None:
        return deadline
    return t(lang, "deadline.met", deadline=deadline,
             at=local_time(plant, ticket.acknowledged_at))


def _resolve(plant: Plant, ticket: Ticket, lang: str) -> str:
    deadline = escalation.resolve_by(plant, ticket)
    if deadline is None:
        return t(lang, "deadline.none")
    if ticket.resolved_at is None or ticket.status is Status.IN_PROGRESS:
        return local_time(plant, deadline)
    return t(lang, "deadline.met", deadline=local_time(plant, deadline),
             at=local_time(plant, ticket.resolved_at))


def line(plant: Plant, ticket: Ticket, lang: str) -> str:
    return t(
        lang, "ticket.line", code=ticket.code, status=t(lang, f"status.{ticket.status}"),
        area=area_name(plant, ticket.area, lang), created=local_time(plant, ticket.created_at),
    )


def work_buttons(ticket: Ticket) -> list[ButtonSpec]:
    """What the team can do next with the ticket, as buttons."""
    actions = {
        Status.REPORTED: (Action.ACCEPT, Action.REJECT, Action.REASSIGN),
        Status.ACKNOWLEDGED: (Action.START, Action.REJECT, Action.REASSIGN),
        Status.IN_PROGRESS: (Action.DONE,),
        Status.RESOLVED: (Action.CLOSE, Action.REOPEN),
    }.get(ticket.status, ())
    return [action_button(action, ticket.code) for action in actions]


def validation_buttons(ticket: Ticket) -> list[ButtonSpec]:
    actions = (Action.VALID, Action.DUPLICATE, Action.INVALID)
    return [action_button(action, ticket.code) for action in actions]


def decision_buttons(ticket: Ticket) -> list[ButtonSpec]:
    """The safety officer's answer to a team's rejection."""
    return [action_button(action, ticket.code) for action in (Action.UPHOLD, Action.OVERRULE)]


def action_button(action: Action, code: str) -> ButtonSpec:
    return f"action.{action}", f"t:{action}:{code}"

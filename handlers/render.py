"""Texts about tickets, composed from catalog strings in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from core import escalation
from core.buttons import TicketButton, encode
from core.plant import Plant
from core.services import ActionRefused, check_allowed
from core.tickets import Action, Status, Ticket, state_allows
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


def card(plant: Plant, ticket: Ticket, lang: str, joined_by: Sequence[str] = ()) -> str:
    """The ticket as the team and supervisors see it, with whoever joined it instead of
    reporting it again (`DuplicateIndex.followers`); a major hazard says what it needs."""
    lines = [_card(plant, ticket, lang)]
    if joined_by:
        lines.append(t(lang, "ticket.joined_by", names=names(plant, joined_by, lang)))
    if ticket.is_major:
        lines.append(t(lang, "major.card_note", actor=person_name(plant, ticket.major_by or "-"),
                       at=local_time(plant, ticket.major_at)))
    return "\n".join(lines)


def names(plant: Plant, people: Sequence[str], lang: str) -> str:
    """People by name, as a list reads in the language: 张三、李四 / Zhang, Li."""
    return t(lang, "list.joiner").join(person_name(plant, person) for person in people)


def _card(plant: Plant, ticket: Ticket, lang: str) -> str:
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


# Which actions a card offers, each tuple in the order its buttons appear; which of them
# show comes from the transition table, for the ticket as it is and the person reading.
WORK = (Action.ACCEPT, Action.START, Action.DONE, Action.REJECT, Action.REASSIGN,
        Action.CLOSE, Action.REOPEN)
JUDGE = (Action.VALID, Action.DUPLICATE, Action.INVALID)
DECIDE = (Action.UPHOLD, Action.OVERRULE)  # the safety officer's answer to a team's rejection
GRADE = (Action.MAJOR,)  # the safety manager's alone: never on a group's card
CONFIRM = (Action.FIXED, Action.NOT_FIXED)  # the reporter's word on the before/after picture
EVERY_ACTION = (*WORK, *JUDGE, *DECIDE, *GRADE, *CONFIRM)


def ticket_buttons(
    plant: Plant, ticket: Ticket, *, reader: str | None = None,
    among: Sequence[Action] = EVERY_ACTION,
) -> list[ButtonSpec]:
    """The actions among `among` the transition table allows on the ticket as it is now, as
    buttons; with a `reader`, only those that person may take (a group card has no reader)."""
    return [action_button(action, ticket.code) for action in among
            if _allowed(plant, ticket, action, reader)]


def _allowed(plant: Plant, ticket: Ticket, action: Action, reader: str | None) -> bool:
    if reader is None:
        return state_allows(action, ticket)
    try:  # the very check a press goes through: role, state and validity
        check_allowed(plant, reader, action, ticket)
    except ActionRefused:
        return False
    return True


def action_button(action: Action, code: str) -> ButtonSpec:
    return f"action.{action}", encode(TicketButton(action, code))

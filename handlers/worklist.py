"""What waits for leads and safety staff (/todo), and every open ticket, paged (/open)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from enum import StrEnum

from core import escalation
from core.buttons import PageButton, Scope, ScopeKind, encode
from core.plant import Person, Plant, Role
from core.ports import TicketFilter, TicketRepository
from core.tickets import OPEN_STATUSES, UNDECIDED, Status, Ticket, Validity
from handlers import render
from handlers.context import ButtonSpec, Turn
from handlers.places import area_by_text

TODO_CARDS = 10
# Each kind reads at most this many tickets: enough to count, far more than anyone reads.
TODO_SCAN = 200
PAGE_SIZE = 10

_SAFETY_STAFF = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER)
_OPEN_LIST_ROLES = (*_SAFETY_STAFF, Role.DEPARTMENT_HEAD, Role.PLANT_MANAGER, Role.ADMIN)


class Kind(StrEnum):
    """Why a ticket waits for someone; the order is the order of the counts line."""

    ACCEPT = "accept"
    DO = "do"
    JUDGE = "judge"
    VERIFY = "verify"
    DECIDE = "decide"
    FOLLOW_UP = "follow_up"


def buttons_for(plant: Plant, person: Person, ticket: Ticket) -> list[ButtonSpec]:
    """Exactly the actions this person may take on the ticket as it is now, as buttons."""
    return render.ticket_buttons(plant, ticket, reader=person.id)


def is_overdue(plant: Plant, ticket: Ticket, now: datetime) -> bool:
    """Open and past the deadline of its status (to respond, then to fix), escalated or not."""
    deadline = escalation.deadline_after(plant, ticket)
    return ticket.is_open and deadline is not None and deadline < now


def led_teams(plant: Plant, person: Person) -> tuple[str, ...]:
    return tuple(team.id for team in plant.teams if team.lead == person.id)


def headed_teams(plant: Plant, person: Person) -> tuple[str, ...]:
    """The teams of the departments this person heads, if they are a department head."""
    if not person.has(Role.DEPARTMENT_HEAD):
        return ()
    departments = {d.id for d in plant.departments if d.head == person.id}
    departments |= {person.department} if person.department else set()
    return tuple(team.id for team in plant.teams if team.department in departments)


def has_worklist(plant: Plant, person: Person) -> bool:
    """Team leads, safety staff and department heads have a /todo."""
    roles = (Role.TEAM_LEAD, *_SAFETY_STAFF, Role.DEPARTMENT_HEAD)
    return person.has(*roles) or bool(led_teams(plant, person))


def may_list_open(person: Person) -> bool:
    return person.has(*_OPEN_LIST_ROLES)


def waiting(
    tickets: TicketRepository, plant: Plant, person: Person, now: datetime
) -> list[tuple[Kind, Ticket]]:
    """Everything waiting for this person, each ticket once, overdue first then by due time."""
    found: dict[str, tuple[Kind, Ticket]] = {}

    def take(kind: Kind, where: TicketFilter) -> None:
        for ticket in tickets.find(where, limit=TODO_SCAN):
            found.setdefault(ticket.code, (kind, ticket))

    if led := led_teams(plant, person):
        take(Kind.ACCEPT, TicketFilter(statuses=(Status.REPORTED,), teams=led))
        take(Kind.DO, TicketFilter(statuses=(Status.ACKNOWLEDGED, Status.IN_PROGRESS), teams=led))
    if person.has(*_SAFETY_STAFF):
        # A lead's rejection waits for a decision; the other pending tickets for a judgement.
        take(Kind.DECIDE, TicketFilter(statuses=(Status.REJECTED,), validities=UNDECIDED))
        take(Kind.VERIFY, TicketFilter(statuses=(Status.RESOLVED,)))
        take(Kind.JUDGE, TicketFilter(validities=(Validity.PENDING,)))
    if headed := headed_teams(plant, person):
        take(Kind.FOLLOW_UP, TicketFilter(statuses=OPEN_STATUSES, teams=headed,
                                          min_escalation_level=1))
        take(Kind.FOLLOW_UP, TicketFilter(statuses=OPEN_STATUSES, teams=headed,
                                          deadline_before=now))

    def urgency(item: tuple[Kind, Ticket]) -> tuple[bool, bool, datetime, int]:
        ticket = item[1]
        deadline = escalation.deadline_after(plant, ticket)
        late = is_overdue(plant, ticket, now)
        return not late, deadline is None, deadline or now, ticket.id or 0

    return sorted(found.values(), key=urgency)


def todo(turn: Turn) -> None:
    plant, person, now = turn.plant, turn.person, turn.services.clock.now()
    if not has_worklist(plant, person):
        turn.reply("todo.not_for_you")
        return
    items = waiting(turn.uow.tickets, plant, person, now)
    if not items:
        turn.reply("todo.none")
        return
    kinds = Counter(kind for kind, _ in items)
    counts = [turn.text(f"todo.count.{kind}", n=kinds[kind]) for kind in Kind if kinds[kind]]
    overdue = sum(1 for _, ticket in items if is_overdue(plant, ticket, now))
    if overdue:
        counts.append(turn.text("todo.count.overdue", n=overdue))
    more = turn.text("todo.more", shown=TODO_CARDS) if len(items) > TODO_CARDS else ""
    turn.reply("todo.summary", counts=" · ".join(counts), more=more)
    for kind, ticket in items[:TODO_CARDS]:
        turn.reply(
            "todo.card", kind=turn.text(f"todo.kind.{kind}"),
            overdue=turn.text("todo.overdue") if is_overdue(plant, ticket, now) else "",
            card=render.card(plant, ticket, turn.lang,
                             turn.uow.duplicates.followers(ticket.code)),
            buttons=buttons_for(plant, person, ticket),
        )


# A scope of /open is an area or a team; None stands for the whole plant.
def scope_by_text(plant: Plant, text: str) -> Scope | None:
    """An area or a team by its id or name; None when nothing is called that."""
    if area := area_by_text(plant, text):
        return Scope(ScopeKind.AREA, area)
    wanted = text.casefold()
    for team in plant.teams:
        if wanted in (team.id.casefold(), team.name.casefold(), team.name_en.casefold()):
            return Scope(ScopeKind.TEAM, team.id)
    return None


def _page_number(token: str) -> int | None:
    """A page as typed or sent; None when it is no number; 0 (no such page) when absurd."""
    if not re.fullmatch(r"-?[0-9]+", token):
        return None
    return int(token) if len(token) <= 6 else 0


def open_list(turn: Turn) -> None:
    """`/open [AREA|TEAM] [PAGE]`."""
    if not may_list_open(turn.person):
        turn.reply("open.not_for_you")
        return
    words = turn.event.args.split()
    page = _page_number(words[-1]) if words else None
    if page is not None:
        words.pop()
    scope: Scope | None = None
    if words:
        scope = scope_by_text(turn.plant, " ".join(words))
        if scope is None:
            turn.reply("open.unknown_scope", text=" ".join(words)[:40], options=_options(turn))
            return
    show_page(turn, scope, 1 if page is None else page)


def press_page(turn: Turn, pressed: PageButton) -> None:
    """The next-page button, checked again: it may be old, or forged."""
    if pressed.scope is not None and not _known(turn.plant, pressed.scope):
        turn.reply("button.stale")
        return
    if not may_list_open(turn.person):
        turn.reply("open.not_for_you")
        return
    show_page(turn, pressed.scope, pressed.page)


def _known(plant: Plant, scope: Scope) -> bool:
    places = plant.areas_by_id if scope.kind is ScopeKind.AREA else plant.teams_by_id
    return scope.key in places


def page_button(page: int, scope: Scope | None) -> ButtonSpec:
    return "button.next_page", encode(PageButton(page, scope))


def show_page(turn: Turn, scope: Scope | None, page: int) -> None:
    where = TicketFilter(
        statuses=OPEN_STATUSES,
        area=scope.key if scope and scope.kind is ScopeKind.AREA else None,
        teams=(scope.key,) if scope and scope.kind is ScopeKind.TEAM else None,
    )
    total = turn.uow.tickets.count(where)
    pages = max(1, -(-total // PAGE_SIZE))
    scope_text = _scope_name(turn, scope)
    if total == 0 and page == 1:
        turn.reply("open.none", scope=scope_text)
        return
    if not 1 <= page <= pages:
        turn.reply("open.no_page", page=page, pages=pages)
        return
    tickets = turn.uow.tickets.find(where, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    now = turn.services.clock.now()
    lines = "\n".join(_open_line(turn, ticket, now) for ticket in tickets)
    buttons = [page_button(page + 1, scope)] if page < pages else []
    footer = turn.text("open.footer", page=page, pages=pages, total=total)
    turn.reply("open.page", scope=scope_text, lines=lines, footer=footer, buttons=buttons)


def _open_line(turn: Turn, ticket: Ticket, now: datetime) -> str:
    plant, lang = turn.plant, turn.lang
    return turn.text(
        "open.line", overdue="⏰ " if is_overdue(plant, ticket, now) else "", code=ticket.code,
        status=turn.text(f"status.{ticket.status}"),
        severity=turn.text(f"severity.{ticket.severity}"),
        area=render.area_name(plant, ticket.area, lang),
        team=render.team_name(plant, ticket.team, lang),
        due=render.local_time(plant, escalation.deadline_after(plant, ticket)),
    )


def _scope_name(turn: Turn, scope: Scope | None) -> str:
    if scope is None:
        return turn.text("open.scope_all")
    if scope.kind is ScopeKind.AREA:
        return render.area_name(turn.plant, scope.key, turn.lang)
    return render.team_name(turn.plant, scope.key, turn.lang)


def _options(turn: Turn) -> str:
    places = [*turn.plant.areas, *turn.plant.teams]
    return ", ".join(f"{place.id} {place.label(turn.lang)}" for place in places)

"""Commands that answer at once: /help, /start, /my, /status, /points, /rank, /lang, /invite,
/todo and /open."""

from __future__ import annotations

from collections.abc import Callable

from core.plant import Person, Plant, Role
from core.tickets import may_view
from handlers import chatid, render, worklist
from handlers.context import Turn
from handlers.flows import start_flow
from handlers.i18n import CATALOGS
from handlers.invites import invite
from handlers.report import REPORT

EVERYONES_COMMANDS = ("report", "my", "status", "points", "rank", "lang", "cancel", "help")


def commands_for(plant: Plant, person: Person) -> list[str]:
    """The commands /help lists for this person: everyone's, then those of their roles."""
    names = list(EVERYONES_COMMANDS)
    if worklist.has_worklist(plant, person):
        names.append("todo")
    if worklist.may_list_open(person):
        names.append("open")
    if person.has(Role.ADMIN):
        names += ["invite", "chatid"]
    return names


def help_(turn: Turn) -> None:
    names = commands_for(turn.plant, turn.person)
    turn.reply("help", lines="\n".join(turn.text(f"help.{name}") for name in names))


def start(turn: Turn) -> None:
    """`/start report` is what a group's "report in private chat" deep link sends."""
    if turn.event.args.strip().lower() == "report" and not turn.event.is_group:
        start_flow(turn, REPORT)
    else:
        help_(turn)


def my(turn: Turn) -> None:
    tickets = turn.uow.tickets.by_reporter(turn.person.id, limit=10)
    if not tickets:
        turn.reply("my.none")
        return
    lines = "\n".join(render.line(turn.plant, ticket, turn.lang) for ticket in tickets)
    turn.reply("my.list", lines=lines)


def status(turn: Turn) -> None:
    code = turn.event.args.strip().upper()
    if not code:
        turn.reply("status.usage")
        return
    ticket = turn.uow.tickets.get(code)
    if ticket is None:
        turn.reply("refused.unknown_ticket", code=code[:30])
        return
    if not may_view(turn.plant, turn.person, ticket):
        turn.reply("refused.not_yours", code=code)
        return
    turn.reply("status.card", card=render.card(turn.plant, ticket, turn.lang),
               validity=turn.text(f"validity.{ticket.validity}"),
               level=ticket.escalation_level, points=ticket.points)


def points(turn: Turn) -> None:
    turn.reply("points.balance", balance=turn.uow.points.balance(turn.person.id))


def rank(turn: Turn) -> None:
    ranking = turn.uow.points.ranking()
    if not ranking:
        turn.reply("rank.empty")
        return
    lines = "\n".join(
        f"{place}. {render.person_name(turn.plant, person)} — {total}"
        for place, (person, total) in enumerate(ranking[:10], start=1)
    )
    mine = next((i for i, (person, _) in enumerate(ranking, 1) if person == turn.person.id), None)
    key = "rank.mine" if mine else "rank.unranked"
    turn.reply("rank.list", lines=lines, mine=turn.text(key, place=mine or 0))


def lang(turn: Turn) -> None:
    wanted = turn.event.args.strip()
    match = next((code for code in CATALOGS if code.lower() == wanted.lower()), None)
    if match is None:
        turn.reply("lang.usage", options=", ".join(CATALOGS))
        return
    turn.uow.directory.set_language(turn.person.id, match)
    turn.lang = match
    turn.reply("lang.set")


COMMANDS: dict[str, Callable[[Turn], None]] = {
    "help": help_,
    "start": start,
    "my": my,
    "status": status,
    "points": points,
    "rank": rank,
    "lang": lang,
    "invite": invite,
    "chatid": chatid.chatid,
    "todo": worklist.todo,
    "open": worklist.open_list,
}

"""Commands that answer at once: /help, /start, /lang, /invite, /todo and /open; /my and
/status for following tickets (handlers/my_tickets.py); /rank (handlers/ranking.py); /major
and /plan for major hazards (handlers/major.py); /board for the cross-department chains
(handlers/board.py); /risk for the risk register (handlers/risk.py);
/round and /rounds for inspection rounds (handlers/rounds.py); /checkin at a checkpoint
(handlers/checkin.py); /points and /shop for the points ledger and the shop
(handlers/points.py, handlers/shop.py); /incident to record an injury
(handlers/incident.py); /warnings and /index for trend warnings and the safety health index
(handlers/warnings.py, handlers/health_index.py)."""

from __future__ import annotations

from collections.abc import Callable

from core.plant import Person, Plant, Role
from handlers import (
    board,
    chatid,
    checkin,
    health_index,
    incident,
    major,
    monthly,
    my_tickets,
    points,
    ranking,
    risk,
    rounds,
    shop,
    warnings,
    worklist,
)
from handlers.context import Turn
from handlers.flows import start_flow
from handlers.i18n import CATALOGS
from handlers.invites import invite
from handlers.report import REPORT

EVERYONES_COMMANDS = (
    "report", "my", "status", "points", "rank", "shop", "risk", "lang", "cancel", "help",
)


def commands_for(plant: Plant, person: Person) -> list[str]:
    """The commands /help lists for this person: everyone's, then those of their roles."""
    names = list(EVERYONES_COMMANDS)
    if worklist.has_worklist(plant, person):
        names.append("todo")
    if worklist.may_list_open(person):
        names.append("open")
    if board.may_see_board(person):
        names.append("board")
    if rounds.holds_rounds(plant, person):
        names += ["round", "checkin"]
    if rounds.may_see_coverage(person):
        names.append("rounds")
    if person.has(Role.SAFETY_MANAGER):
        names += ["major", "incident"]
    if person.has(Role.SAFETY_MANAGER) or worklist.led_teams(plant, person):
        names.append("plan")
    if warnings.may_read(person):
        names += ["warnings", "index"]
    if monthly.may_ask(person):
        names.append("report_monthly")
    if person.has(Role.ADMIN):
        names += ["invite", "chatid"]
    return names


def help_(turn: Turn) -> None:
    names = commands_for(turn.plant, turn.person)
    turn.reply("help", lines="\n".join(turn.text(f"help.{name}") for name in names))


def start(turn: Turn) -> None:
    """`/start report` is what a group's "report in private chat" deep link sends."""
    wanted = turn.event.args.strip().lower()
    if wanted == "report" and not turn.event.is_group:
        start_flow(turn, REPORT)
    elif wanted == "checkin" and not turn.event.is_group:
        checkin.begin(turn)
    else:
        help_(turn)


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
    "my": my_tickets.my,
    "status": my_tickets.status,
    "points": points.points,
    "shop": shop.open_shop,
    "rank": ranking.rank_command,
    "lang": lang,
    "invite": invite,
    "chatid": chatid.chatid,
    "todo": worklist.todo,
    "open": worklist.open_list,
    "board": board.board,
    "major": major.grade,
    "plan": major.plan,
    "risk": risk.risk,
    "round": rounds.my_rounds,
    "checkin": checkin.begin,
    "rounds": rounds.coverage_report,
    "incident": incident.begin,
    "warnings": warnings.warnings_command,
    "index": health_index.index_command,
}

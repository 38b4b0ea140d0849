"""A report that looks like an open ticket: offered before it is filed, joined or filed
anyway (core/duplicates.py); and what the others hear of it.

The report's last step asks, when there is a match, whether to join the open ticket (加入此
工单) or file anyway (仍然上报); joining opens nothing, and from then on the joiner hears
what the ticket's reporter hears (handlers/reporter_notices.py). The safety officer's judge
card names the suggested match; a photo seen before is said to cost the points.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from core.dialog import EventKind, Incoming
from core.duplicates import Finding, JoinRefused, Match, Rule, join_ticket, look_for_duplicates
from core.events import TicketJoined, TicketJudged, TicketOpened
from core.photo_prints import PhotoPrint
from core.plant import Plant
from core.ports import PhotoStore, UnitOfWork
from core.services import OpenTicket, open_ticket
from core.tickets import Action, Ticket
from handlers import render
from handlers.choices import choose, offer, offered, refuse
from handlers.context import Notifier, Services, Turn
from handlers.i18n import t

JOIN = "join:"  # + the ticket's code: the value of the Join button
FILE = "file"


def look(turn: Turn, command: OpenTicket) -> Finding:
    """What the report about to be filed has in common with earlier tickets."""
    prints = prints_of(turn.services.photos, command.photos)
    return look_for_duplicates(command, prints, uow=turn.uow, now=turn.services.clock.now())


def prints_of(photos: PhotoStore, shas: Sequence[str]) -> list[PhotoPrint]:
    """The prints of the photos; a photo whose file is lost or damaged still matches by its
    bytes' hash, which the ticket keeps."""
    found = []
    for sha in shas:
        try:
            found.append(photos.fingerprint(sha))
        except (OSError, ValueError):  # Pillow's UnidentifiedImageError is an OSError
            found.append(PhotoPrint(sha))
    return found


def file(turn: Turn, command: OpenTicket, finding: Finding) -> None:
    """Open the ticket, with what the look found: the suggested match, a photo seen before."""
    suspected = finding.match.ticket.code if finding.match else None
    open_ticket(replace(command, suspected_duplicate_of=suspected,
                        reused_photo_of=finding.reused_photo_of),
                uow=turn.uow, plant=turn.plant, clock=turn.services.clock)


def ask(turn: Turn, command: OpenTicket) -> None:
    """Show the open ticket the report looks like, with Join and File anyway."""
    match = look(turn, command).match
    if match is None:  # gone since the submit a moment ago: nothing left to ask
        offer(turn, "report.duplicate_expected", [("button.file_anyway", FILE)])
        return
    ticket = match.ticket
    own = ticket.reporter == turn.person.id
    offer(
        turn, "report.duplicate_own" if own else "report.duplicate_found",
        [("button.keep_mine" if own else "button.join_ticket", JOIN + ticket.code),
         ("button.file_anyway", FILE)],
        why=_why(turn, match), line=render.line(turn.plant, ticket, turn.lang),
    )


def _why(turn: Turn, match: Match) -> str:
    if match.rule is Rule.PHOTO:
        return turn.text("duplicate.why_photo")
    if match.rule is Rule.EQUIPMENT:
        return turn.text("duplicate.why_equipment", equipment=match.ticket.equipment or "-")
    return turn.text("duplicate.why_nearby", metres=f"{match.metres or 0:.0f}")


def take(turn: Turn, command: OpenTicket, event: Incoming) -> bool:
    """Join or file, as chosen; True once the report is done with (joined or filed)."""
    choice = choose(turn, event)
    if choice == FILE:
        file(turn, command, look(turn, command))
        return True
    # Button data can be forged: only the ticket this step offered may be joined.
    if choice is None or not choice.startswith(JOIN) or choice not in _offered_values(turn):
        if choice is not None or event.kind is not EventKind.BUTTON:
            refuse(turn, "report.duplicate_expected")
        return False
    code = choice.removeprefix(JOIN)
    try:
        joined = join_ticket(code, turn.person.id, uow=turn.uow, plant=turn.plant,
                             clock=turn.services.clock)
    except JoinRefused:
        refuse(turn, "report.join_closed", code=code)
        return False
    turn.reply("report.joined" if joined else "report.joined_own", code=code)
    return True


def _offered_values(turn: Turn) -> set[str]:
    return {value for _, value in offered(turn)}


# -- what the others hear -------------------------------------------------------------

def judge_card(plant: Plant, ticket: Ticket, lang: str) -> str:
    """The card a safety officer judges by: with the suggested match and a reused photo."""
    notes = [render.card(plant, ticket, lang)]
    if ticket.suspected_duplicate_of:
        notes.append(t(lang, "ticket.suspected_duplicate",
                       original=ticket.suspected_duplicate_of))
    if ticket.reused_photo_of:
        notes.append(t(lang, "ticket.reused_photo", original=ticket.reused_photo_of))
    return "\n".join(notes)


def subscribe(services: Services) -> None:
    """Index every new ticket's photos; tell a reporter who joined them, and that a reused
    photo earns nothing."""

    def indexed(event: TicketOpened, uow: UnitOfWork) -> None:
        ticket = uow.tickets.get(event.code)
        if ticket is not None:
            uow.duplicates.index(ticket.code, prints_of(services.photos, ticket.photos),
                                 ticket.created_at)

    def joined(event: TicketJoined, uow: UnitOfWork) -> None:
        ticket = uow.tickets.get(event.code)
        if ticket is not None:
            Notifier(services, uow).to_person(
                ticket.reporter, "reporter.joined", ticket=ticket.code, code=ticket.code,
                who=render.person_name(services.plant, event.actor))

    def judged(event: TicketJudged, uow: UnitOfWork) -> None:
        ticket = uow.tickets.get(event.code)
        if event.action is Action.VALID and ticket is not None and ticket.reused_photo_of:
            Notifier(services, uow).to_person(
                ticket.reporter, "report.reused_photo", ticket=ticket.code, code=ticket.code,
                original=ticket.reused_photo_of)

    services.events.subscribe(TicketOpened, indexed)
    services.events.subscribe(TicketJoined, joined)
    services.events.subscribe(TicketJudged, judged)

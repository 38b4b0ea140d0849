"""Reports of a hazard someone already reported: found before the ticket opens, joined or
filed anyway, and photos that came before.

A new report looks like an open ticket when it names the same equipment and category, when
it was located within `SAME_SPOT_M` of the ticket with the same category, or when one of
its photos is one of the ticket's (core/photo_prints.py). Its reporter may join that ticket
— they follow it from then on, no ticket is opened and no points are due — or file anyway,
and the safety officer sees the suggestion when judging. A report with a photo of any
ticket of the last `REUSE_WINDOW`, open or not, earns no points (core/points.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from core.events import Event, TicketJoined
from core.geo import distance_m
from core.photo_prints import PhotoPrint, same_photo
from core.plant import Plant
from core.ports import Clock, PhotoSeen, TicketFilter, UnitOfWork
from core.services import OpenTicket, record_event
from core.tickets import OPEN_STATUSES, Ticket

SAME_SPOT_M = 50.0
REUSE_WINDOW = timedelta(days=90)
# Open tickets of one category looked at; a plant with more has bigger problems.
MOST_OPEN = 500


class Rule(IntEnum):
    """Why a report looks like a ticket, the strongest reason first."""

    PHOTO = 1
    EQUIPMENT = 2
    NEARBY = 3


@dataclass(frozen=True)
class Match:
    ticket: Ticket
    rule: Rule
    metres: float | None = None  # how far apart, when both were located


@dataclass(frozen=True)
class Finding:
    """What a report about to be filed has in common with earlier tickets."""

    match: Match | None = None  # the open ticket it may join
    reused_photo_of: str | None = None  # the latest ticket with one of its photos


class JoinRefused(Exception):
    """The ticket cannot be joined; `reason` says why, in a word (`unknown_ticket`,
    `not_open`, `not_allowed`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def look_for_duplicates(
    cmd: OpenTicket, prints: Sequence[PhotoPrint], *, uow: UnitOfWork, now: datetime,
) -> Finding:
    """The open ticket the report looks like, and the ticket whose photo it reuses."""
    seen = [s for s in uow.duplicates.seen(prints, now - REUSE_WINDOW)
            if any(same_photo(s.photo, mine) for mine in prints)]
    open_same_category = uow.tickets.find(
        TicketFilter(statuses=OPEN_STATUSES, category=cmd.category), limit=MOST_OPEN)
    return Finding(best_match(cmd, open_same_category, seen), _latest(s.ticket for s in seen))


def best_match(cmd: OpenTicket, candidates: Iterable[Ticket],
               seen: Iterable[PhotoSeen] = ()) -> Match | None:
    """The open ticket the report looks most like: by the strongest rule, then the nearest,
    then the newest; None when none does."""
    matches = [m for m in (_match(cmd, t) for t in candidates) if m is not None]
    matches += [Match(s.ticket, Rule.PHOTO) for s in seen if s.ticket.is_open]
    if not matches:
        return None
    return min(matches, key=lambda m: (m.rule, m.metres if m.metres is not None else 0.0,
                                       -m.ticket.created_at.timestamp()))


def _match(cmd: OpenTicket, ticket: Ticket) -> Match | None:
    if not ticket.is_open or ticket.category != cmd.category:
        return None
    metres = (distance_m(cmd.location, ticket.location)
              if cmd.location is not None and ticket.location is not None else None)
    if cmd.equipment and (ticket.equipment or "").upper() == cmd.equipment.upper():
        return Match(ticket, Rule.EQUIPMENT, metres)
    if metres is not None and metres <= SAME_SPOT_M:
        return Match(ticket, Rule.NEARBY, metres)
    return None


def _latest(tickets: Iterable[Ticket]) -> str | None:
    newest = max(tickets, key=lambda t: t.created_at, default=None)
    return newest.code if newest else None


def join_ticket(
    code: str, person: str, *, uow: UnitOfWork, plant: Plant, clock: Clock,
) -> list[Event]:
    """The person follows the open ticket from now on, as its reporter does; joining twice
    (a replayed press) changes nothing and records nothing."""
    if plant.person(person) is None:
        raise JoinRefused("not_allowed")
    ticket = uow.tickets.get(code)
    if ticket is None:
        raise JoinRefused("unknown_ticket")
    if not ticket.is_open:
        raise JoinRefused("not_open")
    if person == ticket.reporter or not uow.duplicates.follow(ticket.code, person, clock.now()):
        return []
    event = TicketJoined(ticket.code, person)
    record_event(uow, clock, event)
    return [event]


"""Points for valid reports and admins' adjustments: the use cases on the ledger.

A report's points follow its judgement (core/ledger.py `settle`): awarded when it is judged
valid, taken back when later judged duplicate or invalid; the major hazard bonus follows
the grading. An admin's adjustment is its own entry, with their reason, and audited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime

from core.events import PointsAdjusted, PointsChanged, ShopEvent
from core.ledger import (
    ALL_PARTS,
    RECURRENCE_WINDOW,
    EntryKind,
    LedgerEntry,
    Part,
    award_parts,
    balance_of,
    is_recurrence,
    settle,
)
from core.plant import Plant, Role, Severity
from core.point_settings import MOST
from core.ports import Clock, TicketFilter, UnitOfWork
from core.tickets import Ticket, Validity

# An adjustment's reason, as typed by the admin.
ADJUST_REASON_CHARS = (2, 200)


class PointsRefused(Exception):
    """The adjustment cannot be made; `reason` says why, in a word."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def points_for(plant: Plant, severity: Severity) -> int:
    return plant.points.for_severity(severity)


def settle_ticket(
    uow: UnitOfWork, plant: Plant, ticket: Ticket, *, actor: str, at: datetime, reason: str,
    parts: Collection[Part] = ALL_PARTS,
) -> PointsChanged | None:
    """Write what the reporter is owed or owes for `parts` of the ticket's award, and keep
    `ticket.points` (what the ticket earned, for cards and exports) in line with the ledger.

    The caller saves the ticket. None when nothing changed: already settled, or replayed.
    """
    entries = uow.points.of_ticket(ticket.code)
    recurring = (Part.FIRST_OF_RECURRING in parts and ticket.validity is Validity.VALID
                 and plant.points.bonus.first_of_recurring > 0
                 and is_recurrence(ticket, _same_problem(uow, ticket)))
    target = award_parts(plant, ticket, recurring=recurring)
    if ticket.reused_photo_of:
        target = {}  # a photo an earlier ticket had (core/duplicates.py) earns nothing
    due = settle(ticket, target, entries, parts=parts, actor=actor, at=at, reason=reason)
    written = [entry for entry in due if uow.points.append(entry)]
    ticket.points = balance_of(entries) + balance_of(written)
    if not written:
        return None
    return PointsChanged(ticket.reporter, balance_of(written), ticket.code, reason)


def _same_problem(uow: UnitOfWork, ticket: Ticket) -> list[Ticket]:
    """Valid reports of the ticket's category at its equipment in the window before it."""
    where = TicketFilter(
        validities=(Validity.VALID,), category=ticket.category, equipment=ticket.equipment,
        created_from=ticket.created_at - RECURRENCE_WINDOW, created_before=ticket.created_at,
    )
    return uow.tickets.find(where, limit=1000)


def adjust_points(
    uow: UnitOfWork, plant: Plant, clock: Clock, *, person: str, delta: int, reason: str,
    actor: str,
) -> int:
    """An admin adds or takes points, with a reason; the person's new balance.

    Raises PointsRefused: `not_allowed` (not an admin), `unknown_person`, `delta` (zero or
    absurd), `reason` (missing or too long), `balance` (it would go below zero).
    """
    admin = plant.person(actor)
    if admin is None or not admin.has(Role.ADMIN):
        raise PointsRefused("not_allowed")
    if plant.person(person) is None:
        raise PointsRefused("unknown_person")
    if delta == 0 or abs(delta) > MOST:
        raise PointsRefused("delta")
    words = " ".join(reason.split())
    low, high = ADJUST_REASON_CHARS
    if not low <= len(words) <= high:
        raise PointsRefused("reason")
    uow.points.lock(person)
    balance = uow.points.balance(person)
    if balance + delta < 0:
        raise PointsRefused("balance")
    now = clock.now()
    uow.points.append(LedgerEntry(person=person, kind=EntryKind.ADJUST, delta=delta,
                                  reason=words, actor=actor, at=now))
    record_about(uow, now, PointsAdjusted(person, delta, words, actor), subject=person)
    return balance + delta


def record_about(
    uow: UnitOfWork, at: datetime, event: PointsAdjusted | ShopEvent, *, subject: str
) -> None:
    """Audit an event that is about something other than a ticket (a person, an order) and
    record it for its subscribers."""
    data = {k: v for k, v in asdict(event).items() if v not in (None, ())}
    actor = str(data.pop("actor", "system"))
    uow.audit.append(at=at, actor=actor, action=type(event).__name__, subject=subject,
                     data=data)
    uow.record(event)

"""The points ledger: append-only entries, and what a ticket's reporter should hold for it.

Nothing stores a balance: it is the sum of a person's entries. A valid report's award is
made of parts (its severity and each bonus, `Part`); `settle` compares what the reporter
holds for each part with what the ticket earns now and writes the difference as awards or
revocations. Every such entry carries an idempotency key — kind, ticket, part and the
award's generation (how many awards of that part the ticket had before) — which the
database keeps unique: a replayed press, a retried update or two processes at once write
it once. A report judged invalid and later valid again starts a new generation.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.plant import Plant
from core.tickets import Ticket, Validity


class EntryKind(StrEnum):
    AWARD = "award"  # a valid report's points (one entry per part)
    REVOKE = "revoke"  # an award taken back: the report was later judged duplicate or invalid
    REDEEM = "redeem"  # points spent on a shop order (reserved until an admin decides)
    REFUND = "refund"  # a rejected order's points given back
    ADJUST = "adjust"  # an admin's correction, with their reason


class Part(StrEnum):
    """What an award is for: the report's severity, or one of the bonuses."""

    SEVERITY = "severity"
    FIRST_OF_RECURRING = "first_of_recurring"
    MAJOR_HAZARD = "major_hazard"
    EQUIPMENT_AND_LOCATION = "equipment_and_location"


ALL_PARTS = tuple(Part)
# Why a major hazard bonus moved, when no judgement did: the grading, or its withdrawal.
GRADED = "major"
UNGRADED = "ungraded"

# A problem "recurs" at an equipment when at least this many earlier valid reports of the
# same category there, all fixed by then, fall within this window (see `is_recurrence`).
RECURRENCE_WINDOW = timedelta(days=90)
RECURRENCE_EARLIER = 2


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the ledger; `reason` is the judgement (award, revoke), the item (redeem),
    the admin's words (refund, adjust)."""

    person: str
    kind: EntryKind
    delta: int
    reason: str
    actor: str
    at: datetime
    ticket: str | None = None
    order: int | None = None
    part: Part | None = None
    key: str | None = None  # unique in the ledger when set: the entry is written once
    id: int | None = None


def award_parts(plant: Plant, ticket: Ticket, *, recurring: bool) -> dict[Part, int]:
    """What the ticket's reporter should hold for it now, part by part (none unless valid)."""
    if ticket.validity is not Validity.VALID:
        return {}
    rules = plant.points
    parts = {
        Part.SEVERITY: rules.for_severity(ticket.severity),
        Part.FIRST_OF_RECURRING: rules.bonus.first_of_recurring if recurring else 0,
        Part.MAJOR_HAZARD: rules.bonus.major_hazard if ticket.is_major else 0,
        Part.EQUIPMENT_AND_LOCATION: (rules.bonus.equipment_and_location
                                      if ticket.equipment and ticket.location else 0),
    }
    return {part: points for part, points in parts.items() if points > 0}


@dataclass(frozen=True)
class Holding:
    """What the reporter holds for one part of a ticket, and how many awards it had."""

    points: int = 0
    awards: int = 0


def holdings(entries: Iterable[LedgerEntry]) -> dict[Part, Holding]:
    """A ticket's entries summed by part."""
    held: dict[Part, Holding] = {}
    for entry in entries:
        if entry.part is None or entry.kind not in (EntryKind.AWARD, EntryKind.REVOKE):
            continue
        now = held.get(entry.part, Holding())
        awarded = 1 if entry.kind is EntryKind.AWARD else 0
        held[entry.part] = Holding(now.points + entry.delta, now.awards + awarded)
    return held


def settle(
    ticket: Ticket, target: Mapping[Part, int], entries: Iterable[LedgerEntry], *,
    parts: Collection[Part] = ALL_PARTS, actor: str, at: datetime, reason: str,
) -> list[LedgerEntry]:
    """The entries that bring `parts` of the reporter's holding in line with `target`.

    A part held is never re-priced (the plant may change its rules later); a part held and
    no longer earned is revoked whole; a part earned and not held is awarded.
    """
    held = holdings(entries)
    due: list[LedgerEntry] = []
    for part in parts:
        holding, want = held.get(part, Holding()), target.get(part, 0)
        if holding.points > 0 and want == 0:
            due.append(_entry(ticket, EntryKind.REVOKE, part, -holding.points,
                              holding.awards - 1, actor=actor, at=at, reason=reason))
        elif holding.points <= 0 and want > 0:
            due.append(_entry(ticket, EntryKind.AWARD, part, want, holding.awards,
                              actor=actor, at=at, reason=reason))
    return due


def _entry(
    ticket: Ticket, kind: EntryKind, part: Part, delta: int, generation: int, *,
    actor: str, at: datetime, reason: str,
) -> LedgerEntry:
    return LedgerEntry(
        person=ticket.reporter, kind=kind, delta=delta, reason=reason, actor=actor, at=at,
        ticket=ticket.code, part=part, key=f"{kind}:{ticket.code}:{part}:{generation}",
    )


def is_recurrence(ticket: Ticket, others: Iterable[Ticket]) -> bool:
    """Whether the ticket is the first report of a problem that came back.

    It is when its equipment had at least `RECURRENCE_EARLIER` earlier valid reports of the
    same category in the `RECURRENCE_WINDOW` before it, and every one of them was fixed
    (resolved or closed) by the time it was reported: the problem was dealt with and
    returned, and this report is the first to say so. A second report while one is still
    open is the same occurrence (a duplicate), not a recurrence. Reports without equipment
    never count: "the same problem" needs the same machine.
    """
    if not ticket.equipment:
        return False
    same = ticket.equipment.upper()
    since = ticket.created_at - RECURRENCE_WINDOW
    earlier = [
        other for other in others
        if other.code != ticket.code and (other.equipment or "").upper() == same
        and other.category == ticket.category and other.validity is Validity.VALID
        and since <= other.created_at < ticket.created_at
    ]
    return len(earlier) >= RECURRENCE_EARLIER and all(
        _fixed_by(other, ticket.created_at) for other in earlier)


def _fixed_by(ticket: Ticket, instant: datetime) -> bool:
    fixed = ticket.resolved_at or ticket.closed_at
    return fixed is not None and fixed <= instant


def balance_of(entries: Iterable[LedgerEntry]) -> int:
    return sum(entry.delta for entry in entries)

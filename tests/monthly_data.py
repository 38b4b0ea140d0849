"""A synthetic November 2026 for the monthly report's tests, counted by hand.

November in Shanghai runs from 2026-10-31 16:00 to 2026-11-30 16:00 UTC. In it: 7 valid
tickets in STAMP (mechanical, 3 of them closed), 4 valid in WELD (electrical, none closed)
and 2 invalid ones, so the report counts 11 reported and 3 closed, and the ledger lists 13.
October holds 3 valid tickets (1 closed); one ticket falls just after November (00:30 on
1 December in Shanghai) and belongs to no November figure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

from core.plant import Severity
from core.ports import UnitOfWork
from core.tickets import Status, Ticket, Validity

NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
NOV_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
H, D = timedelta(hours=1), timedelta(days=1)
_numbers = count(1)


def ticket(at: datetime, area: str, category: str, *, closed: bool = False,
           validity: Validity = Validity.VALID) -> Ticket:
    return Ticket(
        code=f"HZ-2611{at.day:02d}-{next(_numbers):04d}", reporter="W01", area=area,
        category=category, severity=Severity.GENERAL, urgency=Severity.GENERAL,
        description="主轴防护罩破损", team="MECH", created_at=at, validity=validity,
        status=Status.CLOSED if closed else Status.ACKNOWLEDGED, acknowledged_at=at + 2 * H,
        closed_at=at + 20 * H if closed else None,
    )


def november() -> dict[str, list[Ticket]]:
    """The tickets by where they fall: `november` (the ledger's 13), `other` (4)."""
    ours = [ticket(NOV_START + (2 + i) * D, "STAMP", "mechanical", closed=i < 3)
            for i in range(7)]
    ours += [ticket(NOV_START + (10 + i) * D, "WELD", "electrical") for i in range(4)]
    ours += [ticket(NOV_START + 20 * D, "WELD", "fire", validity=Validity.INVALID)
             for _ in range(2)]
    other = [ticket(NOV_START - (5 + i) * D, "MACH", "fire", closed=i == 0) for i in range(3)]
    other.append(ticket(NOV_END + H / 2, "STAMP", "mechanical"))
    return {"november": ours, "other": other}


def store(uow: UnitOfWork, tickets: dict[str, list[Ticket]]) -> None:
    for made in (*tickets["november"], *tickets["other"]):
        uow.tickets.add(made)
    uow.commit()

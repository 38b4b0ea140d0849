"""Synthetic history for the trend warnings and the safety health index, with the answers
worked out by hand beside it (the tests assert those numbers, not what the code computes).

Trends: seven coolant leaks on CNC-07 over three months, each reported 10.5–20 h into a
continuous run; noise the scan must leave out (an invalid report, one older than the
window, a pair below the threshold); a machine with no run log at all, and one that was
not running at one of its reports.

Index: November 2026 in two departments of the demo plant, ADMIN (WH, 8,000 m²) and PROD
(STAMP, WELD, MOLD, MACH, ASSY: 24,300 m²); see INDEX_BY_HAND.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from core.plant import Category, Plant, Severity
from core.tickets import Status, Ticket, Validity
from core.usage_rows import RunPeriod
from storage.uow import SqlUnitOfWork
from tests.bulk_tickets import insert_tickets, template

ZONE = ZoneInfo("Asia/Shanghai")
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
LEAK = Category("coolant_leak", "冷却液泄漏", "Coolant leak")
# Hours CNC-07 had run when each leak was reported, and the days before the window's end.
LEAK_HOURS = (12.5, 11.0, 14.0, 10.5, 16.0, 12.0, 20.0)
LEAK_DAYS_BEFORE = (80, 69, 58, 47, 36, 25, 14)
LEAK_ZH = "CNC-07 冷却液泄漏：3 个月 7 次，均发生在连续运行超过 10 小时后"
LEAK_EN = ("CNC-07 Coolant leak: 7 times in 3 months, all after more than 10 hours of "
           "continuous running")


def with_leaks(plant: Plant) -> Plant:
    return replace(plant, categories=(*plant.categories, LEAK))


def ticket(plant: Plant, *, at: datetime, area: str = "MACH", category: str = LEAK.id,
           equipment: str | None = "CNC-07", valid: bool = True,
           severity: Severity = Severity.GENERAL, resolved_after: timedelta | None = None,
           ) -> Ticket:
    return replace(
        template(plant), area=area, category=category, equipment=equipment,
        severity=severity, urgency=severity, created_at=at,
        validity=Validity.VALID if valid else Validity.INVALID,
        resolved_at=at + resolved_after if resolved_after is not None else None,
        # History, not work: closed, so no sweep escalates or reminds it.
        status=Status.CLOSED, due_at=None, remind_at=None,
    )


def leak_story(plant: Plant, end: datetime) -> tuple[list[Ticket], list[RunPeriod]]:
    """The seven leaks before `end`, each inside a 24 h run that started LEAK_HOURS before
    it, and the noise: an invalid leak, a leak 100 days before `end` (outside the window),
    two CNC-12 leaks (below the threshold)."""
    tickets, periods = [], []
    for days, hours in zip(LEAK_DAYS_BEFORE, LEAK_HOURS, strict=True):
        at = end - days * DAY
        tickets.append(ticket(plant, at=at))
        periods.append(RunPeriod("CNC-07", at - hours * HOUR, at - hours * HOUR + 24 * HOUR))
    tickets += [
        ticket(plant, at=end - 30 * DAY + 2 * HOUR, valid=False),
        ticket(plant, at=end - 100 * DAY),
        ticket(plant, at=end - 20 * DAY, equipment="CNC-12"),
        ticket(plant, at=end - 10 * DAY, equipment="CNC-12"),
    ]
    return tickets, periods


def store(engine: Engine, tickets: Iterable[Ticket], periods: Sequence[RunPeriod] = ()) -> None:
    with engine.begin() as db:
        insert_tickets(db, tickets)
    with SqlUnitOfWork(engine) as uow:
        for period in periods:
            uow.run_log.add(period)
        uow.commit()


def local(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, tzinfo=ZONE)


# November 2026, by hand (weights 0.2 density, 0.4 rectification, 0.2 recurrence,
# 0.2 severity; density ideal 2, worst 10; recurrence worst 0.5; severity weights 1/3/5,
# worst 3):
# ADMIN, 8,000 m²: 24 valid reports → density 24 / 8 = 3.0 → 100 × (10 − 3) / 8 = 87.5;
#   18 of 24 resolved on time → 75; 4 name equipment, 1 a repeat (FORK-12 mechanical
#   again) → 0.25 → 100 × (1 − 0.25 / 0.5) = 50; 20 general + 4 serious → mean
#   (20 + 12) / 24 = 4/3 → 100 × (1 − (1/3) / 2) = 83.33…;
#   index 0.2 × 87.5 + 0.4 × 75 + 0.2 × 50 + 0.2 × 83.33… = 74.1666… → 74.2.
# PROD, 24,300 m²: 12 valid reports → density 12 / 24.3 = 0.4938… → 100 × 0.4938… / 2
#   = 24.69…; all 12 on time → 100; none names equipment → 100; 6 general + 6 serious →
#   mean 2 → 50; index 0.2 × 24.69… + 40 + 20 + 10 = 74.938… → 74.9.
# October has no reports: density 0 → 0, the rest 100 → 0.4 × 100 + 0.2 × 100 + 0.2 × 100
#   = 80.0 for both, so November's change is −5.8 (ADMIN) and −5.1 (PROD).
INDEX_BY_HAND = {"PROD": 74.9, "ADMIN": 74.2}
OCTOBER_BY_HAND = {"PROD": 80.0, "ADMIN": 80.0}


def november(plant: Plant) -> list[Ticket]:
    tickets = []
    for n in range(24):  # ADMIN: WH
        at = local(2026, 11, 2 + n, 10)
        serious = n < 4
        late = n in (4, 5, 6, 7, 8, 9)  # six general reports resolved after 8 days
        on_time = 2 * HOUR if serious else 3 * DAY
        equipment = {10: "FORK-12", 11: "FORK-12", 12: "FORK-15", 13: "FORK-15"}.get(n)
        category = "electrical" if n == 13 else "mechanical"
        tickets.append(ticket(plant, at=at, area="WH", category=category, equipment=equipment,
                              severity=Severity.SERIOUS if serious else Severity.GENERAL,
                              resolved_after=8 * DAY if late else on_time))
    tickets += [ticket(plant, at=local(2026, 11, 5), area="WH", category="mechanical",
                       equipment=None, valid=False) for _ in range(2)]
    for n in range(12):  # PROD: MACH
        serious = n % 2 == 0
        tickets.append(ticket(plant, at=local(2026, 11, 3 + 2 * n, 14), area="MACH",
                              category="mechanical", equipment=None,
                              severity=Severity.SERIOUS if serious else Severity.GENERAL,
                              resolved_after=3 * HOUR if serious else 2 * DAY))
    return tickets

"""Repeats at equal instants and at the window's edges, on SQLite and PostgreSQL alike: the
month's KPIs find the ticket before each through a window over (equipment, category) on
PostgreSQL and a lookup per ticket on SQLite; both must agree with the rule of issue 12 (an
EARLIER valid ticket of the machine and category, reported in the 90 days before).

Times as in test_kpis.py: November 2026 in Shanghai, department A owns XA, B owns XB.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from core.kpi import Kpis, month_kpis
from core.plant import Severity
from core.tickets import Ticket, Validity
from storage.uow import SqlUnitOfWork
from tests.integration.test_kpis import AS_OF, NOV_START, PLANT, D, H, ticket

G = Severity.GENERAL


def kpis(uow: SqlUnitOfWork, tickets: list[Ticket], department: str | None = None) -> Kpis:
    with uow:
        for made in tickets:
            uow.tickets.add(made)
        uow.commit()
    with uow:
        return month_kpis(plant=PLANT, source=uow.kpis, injuries=uow.injuries,
                          hours=uow.hours_worked, year=2026, month=11, as_of=AS_OF,
                          department=department)


def test_tickets_reported_at_the_same_instant_are_no_repeat_of_each_other(
        engine: Engine) -> None:
    at = NOV_START + 3 * D
    k = kpis(SqlUnitOfWork(engine), [ticket(at, "XA", "mech", G, equipment="M1")
                                      for _ in range(3)])
    assert k.repeat_rate == 0.0


def test_tied_tickets_all_repeat_an_earlier_one_of_the_month_or_before_it(
        engine: Engine) -> None:
    # M1: one in October, two tied on 3 November; M2: one on 1 November, three tied on the
    # 9th (the second and third find only their tie just before them); M3: two tied only.
    made = [ticket(NOV_START - 10 * D, "XA", "mech", G, equipment="M1"),
            *(ticket(NOV_START + 3 * D, "XA", "mech", G, equipment="M1") for _ in range(2)),
            ticket(NOV_START + 1 * D, "XA", "mech", G, equipment="M2"),
            *(ticket(NOV_START + 9 * D, "XA", "mech", G, equipment="M2") for _ in range(3)),
            *(ticket(NOV_START + 4 * D, "XA", "mech", G, equipment="M3") for _ in range(2))]
    # In November: M1 ×2 (repeats), M2 ×4 (3 repeats), M3 ×2 (none).
    assert kpis(SqlUnitOfWork(engine), made).repeat_rate == pytest.approx(5 / 8)


def test_the_earlier_ticket_may_lie_exactly_90_days_back_in_another_area_but_be_valid(
        engine: Engine) -> None:
    at = NOV_START + 2 * D + 3 * H
    made = [ticket(at - 90 * D, "XB", "mech", G, equipment="M1"),  # just inside, area B
            ticket(at, "XA", "mech", G, equipment="M1"),
            ticket(at + 1 * D - 90 * D - H, "XA", "mech", G, equipment="M2"),  # 90 d + 1 h
            ticket(at + 1 * D, "XA", "mech", G, equipment="M2"),
            ticket(at - 1 * D, "XA", "mech", G, equipment="M3", validity=Validity.INVALID),
            ticket(at, "XA", "mech", G, equipment="M3")]
    a = kpis(SqlUnitOfWork(engine), made, "A")
    assert (a.reported, a.repeat_rate) == (3, pytest.approx(1 / 3))  # M1 only

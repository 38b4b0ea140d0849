"""The monthly report's figures, counted in SQL, on synthetic reports whose figures are
worked out by hand below; on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import Engine

from core.figures import DepartmentMonth, PersonMonth, month_of, monthly_figures, roster
from core.plant import Department, Person, Plant, Routing, Severity, Site, Team
from core.tickets import Ticket, Validity
from storage.uow import SqlUnitOfWork

# Departments A (3 people: a1, a2 and t1 by their team), B (2 people), C (nobody); x1 has
# no department, so the plant's headcount is 6 and the departments' 5.
PLANT = Plant(
    name="figures", site=Site(lat=31.3, lon=120.7), routing=Routing(default_team="TA"),
    departments=(Department(id="A", name="甲"), Department(id="B", name="乙"),
                 Department(id="C", name="丙")),
    teams=(Team(id="TA", name="甲班", department="A"),),
    people=(Person(id="a1", name="1", department="A"), Person(id="a2", name="2", department="A"),
            Person(id="t1", name="3", team="TA"), Person(id="b1", name="4", department="B"),
            Person(id="b2", name="5", department="B"), Person(id="x1", name="6")),
)
# Shanghai is UTC+8: November 2026 there runs from 2026-10-31 16:00 to 2026-11-30 16:00 UTC.
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
NOV_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
_numbers = count(1)


def report(reporter: str, at: datetime, validity: Validity = Validity.VALID) -> Ticket:
    return Ticket(
        code=f"HZ-261101-{next(_numbers):04d}", reporter=reporter, area="X",
        category="mechanical", severity=Severity.GENERAL, urgency=Severity.GENERAL,
        description="松动", team="TA", created_at=at, validity=validity,
    )


@pytest.fixture
def figures(engine: Engine) -> SqlUnitOfWork:
    reports = [
        # November, plant time
        report("a1", NOV_START),  # the very first instant: 00:00 on 1 November in Shanghai
        report("a1", NOV_START + 3 * MINUTE, Validity.PENDING),
        report("a1", NOV_START + 5 * MINUTE, Validity.INVALID),
        report("t1", NOV_START + 10 * MINUTE, Validity.DUPLICATE),
        report("b1", NOV_END - MINUTE),  # 23:59 on 30 November in Shanghai
        report("b1", NOV_END - 2 * MINUTE),
        report("x1", NOV_START + 20 * MINUTE),
        report("z9", NOV_START + 30 * MINUTE),  # someone no longer on the plant's list
        # not November in Shanghai, though November in UTC
        report("a2", NOV_START - MINUTE),  # 23:59 on 31 October in Shanghai
        report("b2", NOV_END),  # 00:00 on 1 December in Shanghai
    ]
    uow = SqlUnitOfWork(engine)
    with uow:
        for ticket in reports:
            uow.tickets.add(replace(ticket))
        uow.commit()
    return uow


def test_the_month_is_the_plants_calendar_month() -> None:
    month = month_of(PLANT, 2026, 11)
    assert (month.start, month.end, month.label) == (NOV_START, NOV_END, "2026-11")
    december = month_of(PLANT, 2026, 12)
    assert december.end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        month_of(PLANT, 2026, 13)


def test_a_person_belongs_to_their_department_or_else_their_teams() -> None:
    assert roster(PLANT) == {"a1": "A", "a2": "A", "t1": "A", "b1": "B", "b2": "B"}


def test_reports_per_person_active_reporters_and_participation(figures: SqlUnitOfWork) -> None:
    with figures as uow:
        november = monthly_figures(uow.figures, PLANT, 2026, 11)
    # By hand: a1 3 reports (1 valid), b1 2 (2 valid), t1 1 (0 valid), x1 1 (1), z9 1 (1);
    # a2 and b2 reported outside November in the plant's time.
    assert november.people == (
        PersonMonth("a1", 3, 1), PersonMonth("b1", 2, 2),
        PersonMonth("t1", 1, 0), PersonMonth("x1", 1, 1), PersonMonth("z9", 1, 1),
    )
    assert november.reports == 8
    assert november.active_reporters == 4  # a1, b1, x1, z9: at least one valid report
    assert november.headcount == 6
    assert november.reports_per_person == pytest.approx(8 / 6)
    # A: a1 active of a1, a2, t1 → 1/3; B: b1 of b1, b2 → 1/2; C has nobody on the list.
    assert november.departments == (DepartmentMonth("A", 3, 1), DepartmentMonth("B", 2, 1))
    assert [d.participation for d in november.departments] == [pytest.approx(1 / 3), 0.5]


def test_a_month_without_reports_counts_zeros(figures: SqlUnitOfWork) -> None:
    with figures as uow:
        empty = monthly_figures(uow.figures, PLANT, 2026, 6)
    assert (empty.people, empty.reports, empty.active_reporters) == ((), 0, 0)
    assert empty.departments == (DepartmentMonth("A", 3, 0), DepartmentMonth("B", 2, 0))
    assert empty.reports_per_person == 0


def test_a_plant_listing_nobody_has_no_departments_to_count(figures: SqlUnitOfWork) -> None:
    with figures as uow:
        alone = monthly_figures(uow.figures, replace(PLANT, people=()), 2026, 11)
    assert alone.departments == () and alone.headcount == 0 and alone.reports_per_person == 0
    assert alone.reports == 8

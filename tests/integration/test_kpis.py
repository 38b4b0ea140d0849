"""The month's KPIs counted in SQL, on synthetic tickets whose figures are worked out by hand
below, on SQLite and PostgreSQL alike (PostgreSQL with SAFETYLOOP_TEST_PG_URL).

November 2026 in Shanghai (UTC+8) runs from 2026-10-31 16:00 to 2026-11-30 16:00 UTC.
Department A owns area XA, B owns XB. SLA windows are the defaults: general tickets must be
acknowledged within 24 h, serious ones resolved within 4 h, critical ones within 1 h.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest
from sqlalchemy import Engine

from core.injuries import Injury, InjuryKind
from core.kpi import Kpis, month_kpis
from core.plant import Area, Department, Person, Plant, Routing, Severity, Site, Team
from core.tickets import Status, Ticket, Validity
from core.usage_rows import MonthHours
from storage.tables import ChainRow
from storage.uow import SqlUnitOfWork

PLANT = Plant(
    name="kpi", site=Site(lat=31.3, lon=120.7), routing=Routing(default_team="TA"),
    departments=(Department(id="A", name="甲"), Department(id="B", name="乙")),
    teams=(Team(id="TA", name="甲班", department="A"),),
    areas=(Area(id="XA", name="甲区", department="A"), Area(id="XB", name="乙区", department="B")),
    # Headcounts: the plant 4, department A 2 (a2 by their team), B 1.
    people=(Person(id="a1", name="1", department="A"), Person(id="a2", name="2", team="TA"),
            Person(id="b1", name="3", department="B"), Person(id="x1", name="4")),
)
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
NOV_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
AS_OF = NOV_END + timedelta(hours=2)  # 02:00 on 1 December in Shanghai
H, D = timedelta(hours=1), timedelta(days=1)
_numbers = count(1)


def ticket(at: datetime, area: str, category: str, severity: Severity, *,
           equipment: str | None = None, ack: timedelta | None = None,
           resolved: timedelta | None = None, closed: timedelta | None = None,
           status: Status = Status.REPORTED, validity: Validity = Validity.VALID) -> Ticket:
    return Ticket(
        code=f"HZ-261101-{next(_numbers):04d}", reporter="a1", area=area, category=category,
        severity=severity, urgency=severity, description="-", team="TA", created_at=at,
        equipment=equipment, validity=validity, status=status,
        acknowledged_at=at + ack if ack is not None else None,
        resolved_at=at + resolved if resolved is not None else None,
        closed_at=at + closed if closed is not None else None,
    )


G, S, C = Severity.GENERAL, Severity.SERIOUS, Severity.CRITICAL
TICKETS = {
    # November, valid
    "T1": ticket(NOV_START, "XA", "mech", G, equipment="CNC-07", ack=2 * H, closed=10 * H,
                 status=Status.CLOSED),
    "T2": ticket(NOV_START + 5 * D, "XA", "mech", G, equipment="CNC-07", ack=30 * H,
                 closed=50 * H, status=Status.CLOSED),  # late; repeats T1
    "T3": ticket(NOV_START + D, "XB", "elec", S, ack=H, resolved=3 * H, status=Status.RESOLVED),
    "T4": ticket(NOV_START + 2 * D, "XB", "elec", S, equipment="PUMP-1", ack=6 * H,
                 status=Status.IN_PROGRESS),  # never resolved: late; repeats T8
    "T5": ticket(NOV_END - H, "XA", "fire", C, equipment="CNC-07"),  # due at NOV_END: late
    "T6": ticket(NOV_END - 3 * H, "XA", "mech", G, ack=H / 2,
                 status=Status.ACKNOWLEDGED),  # due after AS_OF: not counted on time or not
    "T12": ticket(NOV_START + 10 * D, "XB", "elec", G, equipment="FAN-2", ack=12 * H,
                  closed=36 * H, status=Status.CLOSED),  # T13 is 91 days before: no repeat
    # not counted
    "T7": ticket(NOV_START + 3 * D, "XA", "mech", G, equipment="CNC-07", ack=H,
                 validity=Validity.INVALID),
    "T11": ticket(NOV_START + 4 * D, "XA", "mech", G, validity=Validity.PENDING),
    "T8": ticket(NOV_START - 30 * D, "XB", "elec", S, equipment="PUMP-1", ack=H),  # October
    "T9": ticket(NOV_END, "XA", "mech", G),  # 00:00 on 1 December in Shanghai
    "T10": ticket(NOV_START - timedelta(minutes=1), "XA", "mech", G),  # 31 October, 23:59
    "T13": ticket(NOV_START + 10 * D - 91 * D, "XB", "elec", G, equipment="FAN-2"),
}
# (ticket, when) of each escalation step fired.
ESCALATIONS = [
    ("T2", NOV_START + 5 * D + 25 * H), ("T4", NOV_START + 2 * D + 4 * H),
    ("T4", NOV_START + 2 * D + 8 * H),
    ("T9", NOV_END + H),  # December
    ("T7", NOV_START + 3 * D + 25 * H),  # an invalid ticket
    ("T5", NOV_END + H / 2),  # fired after the month ended
]
INJURIES = [
    (date(2026, 11, 3), "A", InjuryKind.LOST_TIME, 5),
    (date(2026, 11, 10), "B", InjuryKind.RECORDABLE, 0),
    (date(2026, 11, 20), "A", InjuryKind.FIRST_AID, 0),
    (date(2026, 3, 1), "A", InjuryKind.LOST_TIME, 2),
    (date(2025, 6, 30), "B", InjuryKind.LOST_TIME, 9),
    (date(2026, 12, 5), "A", InjuryKind.LOST_TIME, 1),  # after AS_OF
]


@pytest.fixture
def uow(engine: Engine) -> SqlUnitOfWork:
    uow = SqlUnitOfWork(engine)
    with uow:
        for made in TICKETS.values():
            made.id = None
            uow.tickets.add(made)
        for name, at in ESCALATIONS:
            uow.audit.append(at=at, actor="system", action="TicketEscalated",
                             subject=TICKETS[name].code, data={})
        for name, cancelled in (("T12", False), ("T2", False), ("T8", False), ("T1", True)):
            made = TICKETS[name]
            uow.session.add(ChainRow(
                ticket=made.code, rule="hv", name="高压", opened_at=made.created_at,
                closed_at=made.closed_at or made.created_at + H,
                cancelled_at=made.created_at + H if cancelled else None))
        for day, department, kind, lost in INJURIES:
            uow.injuries.add(Injury(day=day, name="某人", department=department, kind=kind,
                                    lost_days=lost, recorded_by="m1", recorded_at=AS_OF))
        for department, hours in (("A", 100_000.0), ("B", 60_000.0)):
            uow.hours_worked.put(MonthHours(department, date(2026, 11, 1), hours), AS_OF)
        uow.commit()
    return uow


def kpis(uow: SqlUnitOfWork, department: str | None = None, month: int = 11) -> Kpis:
    with uow:
        return month_kpis(plant=PLANT, source=uow.kpis, injuries=uow.injuries,
                          hours=uow.hours_worked, year=2026, month=month, as_of=AS_OF,
                          department=department)


def test_the_plants_month_counts_valid_tickets_of_the_plants_calendar_month(
        uow: SqlUnitOfWork) -> None:
    k = kpis(uow)
    assert k.reported == 7  # T1 T2 T3 T4 T5 T6 T12
    assert k.by_area == {"XA": 4, "XB": 3}
    assert k.by_category == {"elec": 3, "fire": 1, "mech": 3}
    assert k.by_severity == {"critical": 1, "general": 4, "serious": 2}
    assert k.by_status == {"acknowledged": 1, "closed": 3, "in_progress": 1, "reported": 1,
                           "resolved": 1}
    assert k.reports_per_person == 7 / 4


def test_response_and_close_times_are_means_and_medians_in_hours(uow: SqlUnitOfWork) -> None:
    k = kpis(uow)
    # acknowledged after 2, 30, 1, 6, 0.5 and 12 hours; T5 never was
    assert k.response_hours_mean == pytest.approx(51.5 / 6)
    assert k.response_hours_median == pytest.approx((2 + 6) / 2)
    # closed after 10, 50 and 36 hours
    assert k.close_hours_mean == pytest.approx(32)
    assert k.close_hours_median == pytest.approx(36)


def test_on_time_counts_only_deadlines_passed_at_the_time_asked(uow: SqlUnitOfWork) -> None:
    # due: T1 T2 T3 T4 T5 T12 (T6's 24 h run past AS_OF); met: T1 (2 h), T3 (resolved in
    # 3 of 4 h), T12 (12 h); T2 acknowledged after 30 h, T4 and T5 never resolved.
    assert kpis(uow).on_time_rate == pytest.approx(3 / 6)


def test_a_repeat_has_an_earlier_valid_ticket_of_the_machine_and_category_within_90_days(
        uow: SqlUnitOfWork) -> None:
    # naming equipment: T1 T2 T4 T5 T12; repeats: T2 (T1, 5 days) and T4 (T8 in October);
    # not T5 (another category), T12 (T13 91 days before), T2 by the invalid T7.
    assert kpis(uow).repeat_rate == pytest.approx(2 / 5)


def test_escalations_and_chain_close_days_of_the_month(uow: SqlUnitOfWork) -> None:
    k = kpis(uow)
    assert k.escalations == 3  # T2 once, T4 twice
    # chains closed in November: T12 after 36 h, T2 after 50 h (T1's was cancelled, T8's
    # closed in October)
    assert k.cross_dept_close_days == pytest.approx((36 / 24 + 50 / 24) / 2)


def test_injury_rates_safe_days_and_streaks(uow: SqlUnitOfWork) -> None:
    k = kpis(uow)
    assert k.ltifr == pytest.approx(1 * 1_000_000 / 160_000)  # 6.25
    assert k.trir == pytest.approx(2 * 200_000 / 160_000)  # 2.5: recordable + lost time
    assert k.hazards_per_injury == pytest.approx(7 / 3)
    assert k.safe_days == 28  # 3 November to 1 December
    # 2026: 2 March to 2 November; 2025: 1 July to 31 December
    assert k.longest_safe_streak_this_year == 246
    assert k.longest_safe_streak_last_year == 184


def test_a_departments_scope_is_the_tickets_of_its_areas(uow: SqlUnitOfWork) -> None:
    a = kpis(uow, "A")
    assert (a.reported, a.by_area, a.reports_per_person) == (4, {"XA": 4}, 2.0)
    assert a.response_hours_mean == pytest.approx(32.5 / 3)
    assert a.response_hours_median == pytest.approx(2)
    assert (a.close_hours_mean, a.close_hours_median) == (pytest.approx(30), pytest.approx(30))
    assert a.on_time_rate == pytest.approx(1 / 3)  # T1 of T1 T2 T5
    assert a.repeat_rate == pytest.approx(1 / 3)  # T2 of T1 T2 T5
    assert (a.escalations, a.cross_dept_close_days) == (1, pytest.approx(50 / 24))
    assert (a.ltifr, a.trir) == (pytest.approx(10.0), pytest.approx(2.0))
    assert (a.safe_days, a.longest_safe_streak_last_year) == (28, 365)
    b = kpis(uow, "B")
    assert (b.reported, b.escalations, b.ltifr) == (3, 2, 0.0)
    assert b.trir == pytest.approx(200_000 / 60_000)
    assert b.safe_days == 519  # 30 June 2025 to 1 December 2026
    assert (b.longest_safe_streak_this_year, b.longest_safe_streak_last_year) == (335, 184)


def test_a_month_without_data_gives_nulls(uow: SqlUnitOfWork) -> None:
    k = kpis(uow, month=6)
    assert (k.reported, k.escalations, k.by_area) == (0, 0, {})
    assert k.reports_per_person == 0.0
    assert [k.response_hours_mean, k.response_hours_median, k.close_hours_mean,
            k.close_hours_median, k.on_time_rate, k.repeat_rate, k.cross_dept_close_days,
            k.ltifr, k.trir, k.hazards_per_injury] == [None] * 10


def test_an_unknown_department_is_refused(uow: SqlUnitOfWork) -> None:
    with pytest.raises(ValueError):
        kpis(uow, "Z")

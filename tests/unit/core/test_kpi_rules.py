"""The pure parts of the KPIs: SLA deadlines, months, injury rates and safe streaks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.injuries import InjuryKind, longest_safe_streak, ltifr, safe_days, trir
from core.kpi import parse_month, ratio, sla_deadline, sla_rules
from core.plant import Plant, Routing, Severity, Site, SlaWindow

PLANT = Plant(name="p", site=Site(lat=0, lon=0), routing=Routing(default_team="T"))
AT = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def test_general_tickets_are_due_an_acknowledgement_and_others_a_resolution() -> None:
    rules = sla_rules(PLANT)  # defaults: general 24h/7d, serious 4h/4h, critical 15m/1h
    assert sla_deadline(rules, "general", AT) == AT + timedelta(hours=24)
    assert sla_deadline(rules, "serious", AT) == AT + timedelta(hours=4)
    assert sla_deadline(rules, "critical", AT) == AT + timedelta(hours=1)
    assert {r.severity: r.measured_by for r in rules} == {
        "general": "acknowledged_at", "serious": "resolved_at", "critical": "resolved_at"}


def test_without_a_resolve_window_the_acknowledge_window_is_the_deadline() -> None:
    plant = Plant(name="p", site=Site(lat=0, lon=0), routing=Routing(default_team="T"),
                  sla={Severity.GENERAL: SlaWindow("8h"), Severity.SERIOUS: SlaWindow("2h")})
    rules = sla_rules(plant)
    assert sla_deadline(rules, "general", AT) == AT + timedelta(hours=8)
    assert sla_deadline(rules, "serious", AT) == AT + timedelta(hours=2)


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "26-11", "2026/11", "2026-00", "", "x"])
def test_a_month_is_yyyy_mm(text: str) -> None:
    with pytest.raises(ValueError):
        parse_month(text)
    assert parse_month(" 2026-11 ") == (2026, 11)


def test_rates_need_hours_and_lost_time_is_recordable_too() -> None:
    counts = {InjuryKind.LOST_TIME: 2, InjuryKind.RECORDABLE: 1, InjuryKind.FIRST_AID: 7}
    assert ltifr(counts, 400_000.0) == 5.0  # 2 × 1,000,000 ÷ 400,000
    assert trir(counts, 400_000.0) == 1.5  # 3 × 200,000 ÷ 400,000
    assert (ltifr(counts, None), trir(counts, 0.0)) == (None, None)
    assert ratio(3, 0) is None


def test_safe_days_and_streaks_leave_the_injury_day_out() -> None:
    assert safe_days(date(2026, 11, 3), date(2026, 12, 1)) == 28
    assert safe_days(None, date(2026, 12, 1)) is None
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert longest_safe_streak([], *year) == 365
    assert longest_safe_streak([date(2026, 1, 1)], *year) == 364
    # 1–9 Jan (9 days), 11 Jan–30 Jun (171), 2 Jul–31 Dec (183)
    assert longest_safe_streak([date(2026, 7, 1), date(2026, 1, 10), date(2025, 5, 1)],
                               *year) == 183
    assert longest_safe_streak([date(2026, 3, 5)], date(2026, 3, 5), date(2026, 3, 5)) == 0


def test_recording_an_injury_is_checked_again_whatever_the_conversation_asked() -> None:
    from core.injuries import Injury, InjuryRefused, check_injury
    from core.plant import Department, Person, Role

    plant = Plant(name="p", site=Site(lat=0, lon=0), routing=Routing(default_team="T"),
                  departments=(Department(id="D", name="d"),),
                  people=(Person(id="M", name="m", roles=(Role.SAFETY_MANAGER,)),
                          Person(id="W", name="w")))
    good = Injury(day=date(2026, 11, 30), name="某人", department="D",
                  kind=InjuryKind.LOST_TIME, lost_days=3, recorded_by="M", recorded_at=AT)
    today = date(2026, 11, 30)
    check_injury(plant, good, today)
    from dataclasses import replace
    for wrong, reason in [
        (replace(good, recorded_by="W"), "not_allowed"),
        (replace(good, day=date(2026, 12, 1)), "future"),
        (replace(good, department="X"), "department"),
        (replace(good, kind=InjuryKind.FIRST_AID), "lost_days"),
        (replace(good, lost_days=-1), "lost_days"),
        (replace(good, name=" "), "name"),
    ]:
        with pytest.raises(InjuryRefused) as refused:
            check_injury(plant, wrong, today)
        assert refused.value.reason == reason

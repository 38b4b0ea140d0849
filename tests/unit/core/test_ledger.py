"""The points ledger's rules: awards by part, revocations whole, keys that make an entry
happen once, the bonuses and what counts as a recurring problem."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.clock import SimClock
from core.events import PointsChanged
from core.geo import GeoPoint
from core.ledger import (
    EntryKind,
    Part,
    award_parts,
    holdings,
    is_recurrence,
    settle,
)
from core.plant import Severity
from core.point_settings import Bonuses, PointRules
from core.points import settle_ticket
from core.services import ActOnTicket, act_on_ticket
from core.tickets import Action, Ticket, Validity
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

BONUS = Bonuses(first_of_recurring=5, major_hazard=10, equipment_and_location=2)
PLANT = make_plant(points=PointRules(bonus=BONUS))
DAY = timedelta(days=1)


def valid(ticket: Ticket, **changes: object) -> Ticket:
    return replace(ticket, validity=Validity.VALID, **changes)  # type: ignore[arg-type]


def act(uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action,
        actor: str = "SO1", **extra: str) -> list[object]:
    return list(act_on_ticket(ActOnTicket(code=code, action=action, actor=actor, **extra),
                              uow=uow, plant=PLANT, clock=clock))


# --- what a ticket earns

def test_a_report_earns_nothing_until_it_is_judged_valid(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = report(uow, PLANT, clock, equipment="CNC-07")
    assert award_parts(PLANT, ticket, recurring=True) == {}


def test_the_equipment_and_location_bonus_needs_both(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = valid(report(uow, PLANT, clock, urgency=Severity.SERIOUS))
    here = GeoPoint(31.318, 120.719, 10)
    assert award_parts(PLANT, ticket, recurring=False) == {Part.SEVERITY: 10}
    assert award_parts(PLANT, replace(ticket, equipment="CNC-07"), recurring=False) == {
        Part.SEVERITY: 10}
    assert award_parts(PLANT, replace(ticket, location=here), recurring=False) == {
        Part.SEVERITY: 10}
    assert award_parts(PLANT, replace(ticket, equipment="CNC-07", location=here),
                       recurring=True) == {
        Part.SEVERITY: 10, Part.EQUIPMENT_AND_LOCATION: 2, Part.FIRST_OF_RECURRING: 5}


def test_the_short_form_of_points_has_no_bonuses(uow: FakeUnitOfWork, clock: SimClock) -> None:
    plain = make_plant()  # as `points: {general: 5, serious: 10, critical: 20}` loads
    assert plain.points.bonus == Bonuses()
    ticket = valid(report(uow, plain, clock, equipment="CNC-07"), major_at=T0,
                   location=GeoPoint(31.318, 120.719))
    assert award_parts(plain, ticket, recurring=True) == {Part.SEVERITY: 5}


# --- settling: what is written, and never twice

def test_settling_twice_writes_nothing_the_second_time(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = valid(report(uow, PLANT, clock))
    first = settle_ticket(uow, PLANT, ticket, actor="SO1", at=T0, reason="valid")
    again = settle_ticket(uow, PLANT, ticket, actor="SO1", at=T0, reason="valid")
    assert first == PointsChanged("W1", 5, ticket.code, "valid")
    assert again is None
    assert len(uow.points.rows) == 1


def test_an_entry_computed_twice_from_the_same_ledger_is_refused_by_its_key(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    """Two processes settling at once read the same ledger and compute the same entries:
    the second finds the key taken (the database's unique index in production)."""
    ticket = valid(report(uow, PLANT, clock))
    target = award_parts(PLANT, ticket, recurring=False)
    one = settle(ticket, target, [], actor="SO1", at=T0, reason="valid")
    two = settle(ticket, target, [], actor="SO2", at=T0, reason="valid")
    assert [entry.key for entry in one] == [entry.key for entry in two]
    assert [uow.points.append(e) for e in one] == [True]
    assert [uow.points.append(e) for e in two] == [False]
    assert uow.points.balance("W1") == 5


def test_a_held_part_is_not_repriced_when_the_rules_change(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = valid(report(uow, PLANT, clock))
    settle_ticket(uow, PLANT, ticket, actor="SO1", at=T0, reason="valid")
    dearer = make_plant(points=PointRules(general=50))
    assert settle_ticket(uow, dearer, ticket, actor="SO1", at=T0, reason="valid") is None
    assert uow.points.balance("W1") == 5


def test_a_revocation_takes_back_each_part_whole(uow: FakeUnitOfWork, clock: SimClock) -> None:
    ticket = valid(report(uow, PLANT, clock, equipment="CNC-07"),
                   location=GeoPoint(31.318, 120.719))
    settle_ticket(uow, PLANT, ticket, actor="SO1", at=T0, reason="valid")
    duplicate = replace(ticket, validity=Validity.DUPLICATE)
    change = settle_ticket(uow, PLANT, duplicate, actor="SO1", at=T0, reason="duplicate")
    assert change == PointsChanged("W1", -7, ticket.code, "duplicate")
    assert duplicate.points == 0
    assert {part: held.points for part, held in holdings(uow.points.rows).items()} == {
        Part.SEVERITY: 0, Part.EQUIPMENT_AND_LOCATION: 0}
    assert [(e.kind, e.part, e.delta) for e in uow.points.rows[2:]] == [
        (EntryKind.REVOKE, Part.SEVERITY, -5), (EntryKind.REVOKE, Part.EQUIPMENT_AND_LOCATION, -2)]


# --- the major hazard bonus follows the grading

def test_grading_a_valid_report_a_major_hazard_adds_the_bonus(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.VALID)
    events = act(uow, clock, code, Action.MAJOR, actor="SM")
    assert PointsChanged("W1", 10, code, "major") in events
    assert uow.points.balance("W1") == 15
    assert [(e.part, e.actor) for e in uow.points.rows] == [
        (Part.SEVERITY, "SO1"), (Part.MAJOR_HAZARD, "SM")]


def test_a_major_hazard_graded_before_judgement_earns_its_bonus_when_judged_valid(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    assert not any(isinstance(e, PointsChanged) for e in act(uow, clock, code, Action.MAJOR,
                                                              actor="SM"))
    act(uow, clock, code, Action.VALID)
    assert uow.points.balance("W1") == 15


def test_a_withdrawn_grading_takes_the_bonus_back_and_keeps_the_rest(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.VALID)
    act(uow, clock, code, Action.MAJOR, actor="SM")
    ticket = uow.tickets.get(code)
    assert ticket is not None
    ungraded = replace(ticket, major_at=None, major_by=None)
    change = settle_ticket(uow, PLANT, ungraded, actor="SM", at=T0, reason="ungraded",
                           parts=(Part.MAJOR_HAZARD,))
    assert change == PointsChanged("W1", -10, code, "ungraded")
    assert uow.points.balance("W1") == 5


# --- the first report of a recurring problem

def earlier(ticket: Ticket, days: int, **changes: object) -> Ticket:
    """A valid report of the same problem `days` before `ticket`, fixed a day later."""
    at = ticket.created_at - days * DAY
    fields: dict[str, object] = {"code": f"HZ-OLD-{days}", "created_at": at,
                                 "validity": Validity.VALID, "resolved_at": at + DAY}
    return replace(ticket, **{**fields, **changes})  # type: ignore[arg-type]


@pytest.fixture
def at_cnc(uow: FakeUnitOfWork, clock: SimClock) -> Ticket:
    return valid(report(uow, PLANT, clock, equipment="CNC-07"))


def test_two_earlier_fixed_reports_in_90_days_make_the_third_a_recurrence(at_cnc: Ticket) -> None:
    assert is_recurrence(at_cnc, [earlier(at_cnc, 80), earlier(at_cnc, 20)])
    assert not is_recurrence(at_cnc, [earlier(at_cnc, 20)])


def test_a_second_report_while_one_is_still_open_is_no_recurrence(at_cnc: Ticket) -> None:
    open_one = earlier(at_cnc, 2, resolved_at=None)
    assert not is_recurrence(at_cnc, [earlier(at_cnc, 80), earlier(at_cnc, 20), open_one])


def test_reports_outside_the_window_or_of_another_problem_do_not_count(at_cnc: Ticket) -> None:
    others = [earlier(at_cnc, 91), earlier(at_cnc, 20, category="electrical"),
              earlier(at_cnc, 10, equipment="CNC-12"),
              earlier(at_cnc, 5, validity=Validity.DUPLICATE)]
    assert not is_recurrence(at_cnc, [*others, earlier(at_cnc, 30)])


def test_equipment_is_the_same_machine_in_any_case_and_none_never_recurs(at_cnc: Ticket) -> None:
    assert is_recurrence(at_cnc, [earlier(at_cnc, 40, equipment="cnc-07"), earlier(at_cnc, 20)])
    nowhere = replace(at_cnc, equipment=None)
    assert not is_recurrence(nowhere, [earlier(nowhere, 40), earlier(nowhere, 20)])


def test_the_recurrence_bonus_is_paid_through_the_judgement(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    for _ in range(2):  # fixed twice in the weeks before
        old = report(uow, PLANT, clock, equipment="CNC-07")
        act(uow, clock, old.code, Action.VALID)
        stored = uow.tickets.get(old.code)
        assert stored is not None
        uow.tickets.save(replace(stored, resolved_at=clock.now() + DAY))
        clock.advance(10 * DAY)
    again = report(uow, PLANT, clock, reporter="W2", equipment="CNC-07").code
    act(uow, clock, again, Action.VALID)
    assert [(e.part, e.delta) for e in uow.points.of_ticket(again)] == [
        (Part.SEVERITY, 5), (Part.FIRST_OF_RECURRING, 5)]

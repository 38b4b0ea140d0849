"""Points for valid reports: awarded by severity, taken back when a report turns out not to be."""

from __future__ import annotations

import pytest

from core.clock import SimClock
from core.events import PointsChanged
from core.ledger import EntryKind, Part
from core.plant import Severity
from core.point_settings import PointRules
from core.points import points_for
from core.services import ActionRefused, ActOnTicket, act_on_ticket
from core.tickets import Action, Validity
from tests.unit.core.fakes import FakeUnitOfWork, make_plant, report

PLANT = make_plant()


def judge(
    uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, **extra: str
) -> list[object]:
    return list(act_on_ticket(
        ActOnTicket(code=code, action=action, actor="SO1", **extra),
        uow=uow, plant=PLANT, clock=clock,
    ))


@pytest.mark.parametrize(
    ("severity", "points"),
    [(Severity.GENERAL, 5), (Severity.SERIOUS, 10), (Severity.CRITICAL, 20)],
)
def test_a_valid_report_earns_points_by_severity(
    uow: FakeUnitOfWork, clock: SimClock, severity: Severity, points: int
) -> None:
    code = report(uow, PLANT, clock, urgency=severity).code
    events = judge(uow, clock, code, Action.VALID)
    assert events[1:] == [PointsChanged("W1", points, code, Validity.VALID)]
    assert uow.points.balance("W1") == points
    ticket = uow.tickets.get(code)
    assert ticket is not None
    assert (ticket.points, ticket.validity) == (points, Validity.VALID)
    [entry] = uow.points.rows
    assert (entry.kind, entry.part, entry.actor, entry.reason, entry.ticket) == (
        EntryKind.AWARD, Part.SEVERITY, "SO1", "valid", code)


@pytest.mark.parametrize(
    ("action", "extra"),
    [(Action.DUPLICATE, {"duplicate_of": "HZ-261128-0001"}), (Action.INVALID, {"reason": "无关"})],
)
def test_points_are_taken_back_when_a_valid_report_turns_out_duplicate_or_invalid(
    uow: FakeUnitOfWork, clock: SimClock, action: Action, extra: dict[str, str]
) -> None:
    report(uow, PLANT, clock, reporter="W2")
    code = report(uow, PLANT, clock, urgency=Severity.SERIOUS).code
    judge(uow, clock, code, Action.VALID)
    events = judge(uow, clock, code, action, **extra)
    assert events[1:] == [PointsChanged("W1", -10, code, Validity(action.value))]
    assert [(row.kind, row.delta) for row in uow.points.rows] == [
        (EntryKind.AWARD, 10), (EntryKind.REVOKE, -10)]
    assert uow.points.balance("W1") == 0
    ticket = uow.tickets.get(code)
    assert ticket is not None
    assert ticket.points == 0


def test_validating_twice_is_refused_and_pays_once(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    judge(uow, clock, code, Action.VALID)
    with pytest.raises(ActionRefused) as refused:
        judge(uow, clock, code, Action.VALID)
    assert refused.value.reason == "wrong_state"
    assert uow.points.balance("W1") == 5


def test_a_report_found_invalid_before_validation_earns_and_loses_nothing(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    events = judge(uow, clock, code, Action.INVALID, reason="测试消息")
    assert not any(isinstance(e, PointsChanged) for e in events)
    assert uow.points.rows == []


def test_a_report_judged_invalid_by_mistake_can_still_be_found_valid(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    judge(uow, clock, code, Action.INVALID, reason="看错了")
    judge(uow, clock, code, Action.VALID)
    assert uow.points.balance("W1") == 5


def test_valid_invalid_valid_again_is_a_new_generation_of_the_same_award(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    judge(uow, clock, code, Action.VALID)
    judge(uow, clock, code, Action.INVALID, reason="看错了")
    judge(uow, clock, code, Action.VALID)
    assert [row.key for row in uow.points.rows] == [
        f"award:{code}:severity:0", f"revoke:{code}:severity:0", f"award:{code}:severity:1"]
    assert uow.points.balance("W1") == 5


def test_points_are_awarded_to_the_reporter_not_the_validator(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock, reporter="W2").code
    judge(uow, clock, code, Action.VALID)
    assert (uow.points.balance("W2"), uow.points.balance("SO1")) == (5, 0)


def test_the_ranking_lists_people_with_points_highest_first(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    for reporter, severity in [("W1", Severity.GENERAL), ("W2", Severity.SERIOUS),
                               ("W1", Severity.GENERAL), ("TL-ELEC", Severity.GENERAL)]:
        judge(uow, clock, report(uow, PLANT, clock, reporter=reporter, urgency=severity).code,
              Action.VALID)
    assert uow.points.ranking() == [("W1", 10), ("W2", 10), ("TL-ELEC", 5)]


def test_points_per_severity_are_configuration() -> None:
    plant = make_plant(points=PointRules(general=1, serious=3, critical=0))
    assert points_for(plant, Severity.SERIOUS) == 3
    assert points_for(plant, Severity.CRITICAL) == 0

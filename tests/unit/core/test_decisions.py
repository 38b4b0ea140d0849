"""A team's rejection goes to the safety officer, and closing a ticket settles its validity."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import SimClock
from core.events import PointsChanged
from core.services import ActionRefused, ActOnTicket, act_on_ticket
from core.tickets import Action, Status, Ticket, Validity, awaits_decision
from tests.unit.core.fakes import FakeUnitOfWork, make_plant, report

PLANT = make_plant()
PHOTO = "b" * 64


def act(uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, actor: str,
        **extra: str) -> list[object]:
    return list(act_on_ticket(ActOnTicket(code=code, action=action, actor=actor, **extra),
                              uow=uow, plant=PLANT, clock=clock))


def stored(uow: FakeUnitOfWork, code: str) -> Ticket:
    ticket = uow.tickets.get(code)
    assert ticket is not None
    return ticket


def rejected_by_lead(uow: FakeUnitOfWork, clock: SimClock) -> str:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.REJECT, "TL-MECH", reason="不是隐患，是正常油渍")
    assert awaits_decision(stored(uow, code))
    return code


def test_upholding_a_rejection_finds_the_report_invalid_and_it_stays_rejected(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = rejected_by_lead(uow, clock)
    act(uow, clock, code, Action.UPHOLD, "SO1")
    ticket = stored(uow, code)
    assert (ticket.status, ticket.validity) == (Status.REJECTED, Validity.INVALID)
    assert ticket.reason == "不是隐患，是正常油渍"  # the lead's reason is what the reporter hears
    assert not awaits_decision(ticket)


def test_upholding_takes_back_points_already_awarded(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.VALID, "SO1")
    act(uow, clock, code, Action.REJECT, "TL-MECH", reason="已经修好了")
    events = act(uow, clock, code, Action.UPHOLD, "SM")
    assert [e.delta for e in events if isinstance(e, PointsChanged)] == [-5]
    assert stored(uow, code).points == 0


def test_overruling_sends_the_work_back_to_a_team_with_a_fresh_response_window(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = rejected_by_lead(uow, clock)
    clock.advance(timedelta(hours=30))
    act(uow, clock, code, Action.OVERRULE, "SO1", reason="油渍在通道上，会滑倒", team="ELEC")
    ticket = stored(uow, code)
    assert (ticket.status, ticket.team, ticket.escalation_level) == (Status.REPORTED, "ELEC", 0)
    assert ticket.respond_by == ticket.due_at == clock.now() + timedelta(hours=24)
    assert ticket.reason == "油渍在通道上，会滑倒"
    act(uow, clock, code, Action.ACCEPT, "TL-ELEC")


def test_overruling_back_to_the_same_team_is_allowed(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = rejected_by_lead(uow, clock)
    act(uow, clock, code, Action.OVERRULE, "SO1", reason="请按隐患处理", team="MECH")
    assert (stored(uow, code).status, stored(uow, code).team) == (Status.REPORTED, "MECH")


@pytest.mark.parametrize(("extra", "reason"), [
    ({"team": "MECH"}, "reason_required"),
    ({"reason": "请处理", "team": "NOPE"}, "bad_team"),
])
def test_overruling_needs_a_reason_and_a_real_team(
    uow: FakeUnitOfWork, clock: SimClock, extra: dict[str, str], reason: str
) -> None:
    code = rejected_by_lead(uow, clock)
    with pytest.raises(ActionRefused) as refused:
        act(uow, clock, code, Action.OVERRULE, "SO1", **extra)
    assert refused.value.reason == reason
    assert stored(uow, code).status is Status.REJECTED


def test_a_lead_may_not_decide_on_a_rejection(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = rejected_by_lead(uow, clock)
    for action, extra in ((Action.UPHOLD, {}), (Action.OVERRULE, {"reason": "x" * 5})):
        with pytest.raises(ActionRefused) as refused:
            act(uow, clock, code, action, "TL-MECH", **extra)
        assert refused.value.reason == "not_allowed"


def test_a_report_already_judged_invalid_has_no_rejection_left_to_decide(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.INVALID, "SO1", reason="照片与描述不符")
    with pytest.raises(ActionRefused) as refused:
        act(uow, clock, code, Action.UPHOLD, "SO1")
    assert refused.value.reason == "wrong_state"


def test_a_report_judged_valid_never_stays_rejected(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = rejected_by_lead(uow, clock)
    clock.advance(timedelta(hours=2))
    events = act(uow, clock, code, Action.VALID, "SO1")
    ticket = stored(uow, code)
    assert (ticket.status, ticket.validity, ticket.team) == (
        Status.REPORTED, Validity.VALID, "MECH")
    assert ticket.due_at == clock.now() + timedelta(hours=24)
    assert [e.delta for e in events if isinstance(e, PointsChanged)] == [5]


def test_closing_an_unjudged_ticket_judges_it_valid_and_awards_the_points(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                          (Action.DONE, {"after_photo": PHOTO})]:
        act(uow, clock, code, action, "TL-MECH", **extra)
    events = act(uow, clock, code, Action.CLOSE, "SO1")
    ticket = stored(uow, code)
    assert (ticket.status, ticket.validity, ticket.points) == (Status.CLOSED, Validity.VALID, 5)
    assert [(e.person, e.delta) for e in events if isinstance(e, PointsChanged)] == [("W1", 5)]


def test_closing_a_ticket_judged_valid_before_awards_nothing_more(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.VALID, "SO1")
    for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                          (Action.DONE, {"after_photo": PHOTO})]:
        act(uow, clock, code, action, "TL-MECH", **extra)
    events = act(uow, clock, code, Action.CLOSE, "SO1")
    assert not [e for e in events if isinstance(e, PointsChanged)]
    assert (stored(uow, code).points, stored(uow, code).status) == (5, Status.CLOSED)

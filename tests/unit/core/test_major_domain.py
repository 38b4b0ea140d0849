"""Major hazards in the domain: grading, the plan that gates the work, the acceptance."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.buttons import PlanButton, decode, encode
from core.clock import SimClock
from core.events import (
    MajorAcceptanceRequested,
    MajorHazardAccepted,
    RemediationPlanEntered,
    TicketClosed,
    TicketGradedMajor,
)
from core.major_hazards import ACCEPTANCE_NEEDED, PLAN_MISSING, blocked, plan_refusal
from core.major_plans import EnterPlan, enter_plan, request_acceptance
from core.plant import Severity
from core.services import ActionRefused, ActOnTicket, act_on_ticket
from core.tickets import Action, Status, Ticket
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

PLANT = make_plant()
SHANGHAI = ZoneInfo("Asia/Shanghai")
PHOTO = "b" * 64


def act(uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, actor: str,
        **extra: str) -> list[object]:
    return list(act_on_ticket(ActOnTicket(code=code, action=action, actor=actor, **extra),
                              uow=uow, plant=PLANT, clock=clock))


def stored(uow: FakeUnitOfWork, code: str) -> Ticket:
    ticket = uow.tickets.get(code)
    assert ticket is not None
    return ticket


def plan(code: str, actor: str = "SM", **changes: object) -> EnterPlan:
    base = EnterPlan(code=code, actor=actor, responsible="TL-MECH", measures="加装防护罩",
                     funds=Decimal("50000.00"), deadline=date(2026, 12, 31),
                     emergency_plan="停机挂牌，专人监护")
    return replace(base, **changes)


def graded(uow: FakeUnitOfWork, clock: SimClock) -> str:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.MAJOR, "SM")
    return code


def refusal(call: object) -> str:
    assert callable(call)
    with pytest.raises(ActionRefused) as refused:
        call()
    return refused.value.reason


# --- the rules

def test_a_major_hazard_needs_its_plan_to_start_or_finish_and_the_manager_to_close() -> None:
    ticket = Ticket(code="HZ-1", reporter="W1", area="MACH", category="mechanical",
                    severity=Severity.GENERAL, urgency=Severity.GENERAL, description="-",
                    team="MECH", created_at=T0, major_at=T0, major_by="SM")
    lead, officer, manager = (PLANT.people_by_id[p] for p in ("TL-MECH", "SO1", "SM"))
    assert blocked(Action.ACCEPT, ticket, lead, has_plan=False) is None
    assert blocked(Action.START, ticket, lead, has_plan=False) == PLAN_MISSING
    assert blocked(Action.DONE, ticket, lead, has_plan=False) == PLAN_MISSING
    assert blocked(Action.START, ticket, lead, has_plan=True) is None
    assert blocked(Action.CLOSE, ticket, officer, has_plan=True) == ACCEPTANCE_NEEDED
    assert blocked(Action.CLOSE, ticket, manager, has_plan=True) is None
    ordinary = replace(ticket, major_at=None)
    assert blocked(Action.START, ordinary, lead, has_plan=False) is None
    assert blocked(Action.CLOSE, ordinary, officer, has_plan=False) is None


def test_the_plan_is_for_the_manager_or_the_lead_of_the_ticket_team_while_it_is_open(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = graded(uow, clock)
    ticket = stored(uow, code)
    person = PLANT.person
    assert plan_refusal(PLANT, person("SM"), ticket) is None
    assert plan_refusal(PLANT, person("TL-MECH"), ticket) is None
    assert plan_refusal(PLANT, person("TL-ELEC"), ticket) == "not_allowed"
    assert plan_refusal(PLANT, person("SO1"), ticket) == "not_allowed"
    assert plan_refusal(PLANT, None, ticket) == "not_allowed"
    assert plan_refusal(PLANT, person("SM"), None) == "unknown_ticket"
    assert plan_refusal(PLANT, person("SM"), replace(ticket, major_at=None)) == "not_major"
    assert plan_refusal(PLANT, person("SM"), replace(ticket, status=Status.RESOLVED)) == (
        "wrong_state")


# --- grading

def test_grading_stamps_who_and_when_records_its_event_and_happens_once(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(timedelta(minutes=5))
    events = act(uow, clock, code, Action.MAJOR, "SM")
    assert [type(e) for e in events] == [TicketGradedMajor]
    ticket = stored(uow, code)
    assert (ticket.major_at, ticket.major_by, ticket.status) == (
        T0 + timedelta(minutes=5), "SM", Status.REPORTED)
    assert refusal(lambda: act(uow, clock, code, Action.MAJOR, "SM")) == "already_major"
    assert refusal(lambda: act(uow, clock, code, Action.MAJOR, "SO1")) == "not_allowed"


# --- the plan

def test_entering_the_plan_times_the_fix_by_its_last_day_and_audits_every_element(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = graded(uow, clock)
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    events = enter_plan(plan(code), uow=uow, plant=PLANT, clock=clock)

    assert [type(e) for e in events] == [RemediationPlanEntered]
    ticket = stored(uow, code)
    end = datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)
    assert ticket.resolve_by == end and ticket.due_at == end  # accepted: this clock escalates
    kept = uow.majors.plan(code)
    assert kept is not None and (kept.funds, kept.entered_by) == (Decimal("50000.00"), "SM")
    [entry] = [e for e in uow.audit.entries() if e.action == "RemediationPlanEntered"]
    assert (entry.actor, entry.subject) == ("SM", code)
    assert entry.data == {"responsible": "TL-MECH", "measures": "加装防护罩", "funds": "50000.00",
                          "deadline": "2026-12-31", "emergency_plan": "停机挂牌，专人监护"}


def test_work_waits_for_the_plan(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = graded(uow, clock)
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    assert refusal(lambda: act(uow, clock, code, Action.START, "TL-MECH")) == PLAN_MISSING
    assert refusal(lambda: act(uow, clock, code, Action.START, "DH-EQUIP")) == PLAN_MISSING
    enter_plan(plan(code, "TL-MECH"), uow=uow, plant=PLANT, clock=clock)
    act(uow, clock, code, Action.START, "TL-MECH")
    assert stored(uow, code).status is Status.IN_PROGRESS


@pytest.mark.parametrize(("changes", "reason"), [
    ({"deadline": date(2026, 11, 27)}, "plan_deadline_past"),
    ({"responsible": "NOBODY"}, "plan_responsible_unknown"),
    ({"funds": Decimal("-1")}, "plan_funds_invalid"),
    ({"measures": "  "}, "plan_incomplete"),
    ({"actor": "W1"}, "not_allowed"),
    ({"actor": "TL-ELEC"}, "not_allowed"),
    ({"code": "HZ-261128-9999"}, "unknown_ticket"),
])
def test_a_plan_with_a_wrong_element_is_refused_and_nothing_is_kept(
    uow: FakeUnitOfWork, clock: SimClock, changes: dict[str, object], reason: str,
) -> None:
    code = graded(uow, clock)
    before = stored(uow, code)
    command = replace(plan(code), **changes)
    assert refusal(lambda: enter_plan(command, uow=uow, plant=PLANT, clock=clock)) == reason
    assert uow.majors.plan(code) is None and stored(uow, code) == before


def test_today_is_still_a_deadline(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = graded(uow, clock)
    enter_plan(plan(code, deadline=date(2026, 11, 28)), uow=uow, plant=PLANT, clock=clock)
    assert stored(uow, code).resolve_by == datetime(2026, 11, 28, 23, 59, tzinfo=SHANGHAI)


def test_an_ordinary_ticket_takes_no_plan(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    assert refusal(lambda: enter_plan(plan(code), uow=uow, plant=PLANT, clock=clock)) == (
        "not_major")


# --- acceptance

def resolved(uow: FakeUnitOfWork, clock: SimClock) -> str:
    code = graded(uow, clock)
    enter_plan(plan(code), uow=uow, plant=PLANT, clock=clock)
    for action in (Action.ACCEPT, Action.START):
        act(uow, clock, code, action, "TL-MECH")
    act(uow, clock, code, Action.DONE, "TL-MECH", after_photo=PHOTO)
    return code


def test_an_officer_cannot_close_a_major_hazard_but_asks_the_manager(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = resolved(uow, clock)
    assert refusal(lambda: act(uow, clock, code, Action.CLOSE, "SO1")) == ACCEPTANCE_NEEDED
    events = request_acceptance(code, actor="SO1", uow=uow, plant=PLANT, clock=clock)
    assert events == [MajorAcceptanceRequested(code, "SO1")]
    assert stored(uow, code).status is Status.RESOLVED
    # the manager closes it rather than asking; a worker may neither
    with pytest.raises(ActionRefused):
        request_acceptance(code, actor="SM", uow=uow, plant=PLANT, clock=clock)
    assert refusal(lambda: request_acceptance(code, actor="W1", uow=uow, plant=PLANT,
                                              clock=clock)) == "not_allowed"

    events = act(uow, clock, code, Action.CLOSE, "SM")
    assert [type(e) for e in events][:1] == [TicketClosed]
    assert MajorHazardAccepted(code, "SM") in events
    ticket = stored(uow, code)
    assert (ticket.status, ticket.closed_by) == (Status.CLOSED, "SM")


def test_asking_for_acceptance_of_an_ordinary_or_unfinished_ticket_is_refused(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    ordinary = report(uow, PLANT, clock).code
    assert refusal(lambda: request_acceptance(ordinary, actor="SO1", uow=uow, plant=PLANT,
                                              clock=clock)) == "wrong_state"
    open_major = graded(uow, clock)
    assert refusal(lambda: request_acceptance(open_major, actor="SO1", uow=uow, plant=PLANT,
                                              clock=clock)) == "wrong_state"


# --- the plan button

def test_the_plan_button_reads_back_and_garbage_is_none() -> None:
    data = encode(PlanButton("HZ-261128-0042"))
    assert data == "p:HZ-261128-0042"
    assert decode(data) == PlanButton("HZ-261128-0042")
    assert decode("p:") is None and decode("p:HZ 1") is None and decode("p:" + "X" * 70) is None

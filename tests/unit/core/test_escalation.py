"""SLA deadlines and the escalation ladder, swept on a simulated clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from core import escalation
from core.clock import SimClock
from core.events import TicketEscalated
from core.plant import EscalationLevel, Role, Severity
from core.services import ActOnTicket, act_on_ticket, escalate_due_tickets
from core.tickets import Action, Status, Ticket
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

PLANT = make_plant()
HOUR = timedelta(hours=1)
PHOTO = "b" * 64


def sweep(uow: FakeUnitOfWork, clock: SimClock) -> list[TicketEscalated]:
    events = escalate_due_tickets(uow=uow, plant=PLANT, clock=clock)
    assert all(isinstance(e, TicketEscalated) for e in events)
    return [e for e in events if isinstance(e, TicketEscalated)]


def act(uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, actor: str,
        **extra: str) -> None:
    act_on_ticket(ActOnTicket(code=code, action=action, actor=actor, **extra),
                  uow=uow, plant=PLANT, clock=clock)


def stored(uow: FakeUnitOfWork, code: str) -> Ticket:
    ticket = uow.tickets.get(code)
    assert ticket is not None
    return ticket


def test_a_general_ticket_is_due_for_acknowledgement_24_hours_after_the_report(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = report(uow, PLANT, clock)
    assert ticket.due_at == T0 + 24 * HOUR
    assert ticket.escalation_level == 0
    assert uow.tickets.next_due_at() == T0 + 24 * HOUR


def test_nothing_escalates_a_second_before_the_deadline(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    clock.advance(24 * HOUR - timedelta(seconds=1))
    assert sweep(uow, clock) == []


def test_a_general_ticket_escalates_to_the_department_head_after_24_hours(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(24 * HOUR)
    assert sweep(uow, clock) == [
        TicketEscalated(code, 1, Role.DEPARTMENT_HEAD, ("DH-EQUIP",))
    ]
    ticket = stored(uow, code)
    assert ticket.escalation_level == 1
    assert ticket.due_at == clock.now() + 4 * HOUR  # the level-1 window


def test_the_department_head_is_told_exactly_once(uow: FakeUnitOfWork, clock: SimClock) -> None:
    report(uow, PLANT, clock)
    clock.advance(24 * HOUR)
    assert len(sweep(uow, clock)) == 1
    for _ in range(3):
        clock.advance(HOUR)
        assert sweep(uow, clock) == []


def test_after_the_level_one_window_the_safety_manager_is_told_then_nothing_more(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(24 * HOUR)
    sweep(uow, clock)
    clock.advance(4 * HOUR)
    assert sweep(uow, clock) == [TicketEscalated(code, 2, Role.SAFETY_MANAGER, ("SM",))]
    ticket = stored(uow, code)
    assert (ticket.escalation_level, ticket.due_at) == (2, None)
    for days in (1, 30, 365):
        clock.advance(timedelta(days=days))
        assert sweep(uow, clock) == []
    assert stored(uow, code).escalation_level == 2


def test_a_sweep_run_twice_at_the_same_instant_escalates_once(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    clock.advance(24 * HOUR)
    assert len(sweep(uow, clock)) == 1
    assert sweep(uow, clock) == []
    escalated = [e for e in uow.audit.entries() if e.action == "TicketEscalated"]
    assert len(escalated) == 1
    assert escalated[0].data == {
        "level": 1, "role": "department_head", "recipients": ["DH-EQUIP"]
    }


def test_a_sweep_that_misses_a_rung_climbs_one_level_at_a_time(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    clock.advance(timedelta(days=10))
    assert [e.level for e in sweep(uow, clock)] == [1]
    assert sweep(uow, clock) == []  # the level-1 window counts from the escalation
    clock.advance(4 * HOUR)
    assert [e.level for e in sweep(uow, clock)] == [2]


def test_a_serious_ticket_escalates_after_4_hours(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock, urgency=Severity.SERIOUS).code
    clock.advance(4 * HOUR - timedelta(seconds=1))
    assert sweep(uow, clock) == []
    clock.advance(timedelta(seconds=1))
    assert [(e.code, e.level) for e in sweep(uow, clock)] == [(code, 1)]


def test_a_critical_ticket_escalates_after_15_minutes(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock, urgency=Severity.CRITICAL)
    clock.advance(timedelta(minutes=15))
    assert len(sweep(uow, clock)) == 1


def test_acknowledging_moves_the_deadline_to_the_resolve_deadline_counted_from_the_report(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = report(uow, PLANT, clock)
    clock.advance(5 * HOUR)
    act(uow, clock, ticket.code, Action.ACCEPT, "TL-MECH")
    after = stored(uow, ticket.code)
    assert after.due_at == T0 + timedelta(days=7)
    clock.advance(24 * HOUR)
    assert sweep(uow, clock) == []


def test_a_ticket_not_resolved_within_its_window_escalates(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock, urgency=Severity.SERIOUS).code
    clock.advance(HOUR)
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    act(uow, clock, code, Action.START, "TL-MECH")
    assert stored(uow, code).due_at == T0 + 4 * HOUR
    clock.set(T0 + 4 * HOUR)
    assert [e.level for e in sweep(uow, clock)] == [1]


def test_resolving_stops_the_clock(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                          (Action.DONE, {"after_photo": PHOTO})]:
        act(uow, clock, code, action, "TL-MECH", **extra)
    assert stored(uow, code).due_at is None
    clock.advance(timedelta(days=30))
    assert sweep(uow, clock) == []


def test_a_reopened_ticket_gets_a_fresh_resolve_window(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                          (Action.DONE, {"after_photo": PHOTO})]:
        act(uow, clock, code, action, "TL-MECH", **extra)
    clock.advance(timedelta(days=10))
    act(uow, clock, code, Action.REOPEN, "SO1")
    assert stored(uow, code).due_at == clock.now() + timedelta(days=7)


def test_validating_a_reported_ticket_does_not_restart_its_acknowledge_clock(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(20 * HOUR)
    act(uow, clock, code, Action.VALID, "SO1")
    assert stored(uow, code).due_at == T0 + 24 * HOUR
    clock.set(T0 + 24 * HOUR)
    assert len(sweep(uow, clock)) == 1


def test_validating_an_escalated_ticket_keeps_the_escalation_timer(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(24 * HOUR)
    sweep(uow, clock)
    act(uow, clock, code, Action.VALID, "SO1")
    clock.advance(4 * HOUR)
    assert [e.level for e in sweep(uow, clock)] == [2]


def test_a_rejected_ticket_never_escalates(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.INVALID, "SO1", reason="重复拍照")
    clock.advance(timedelta(days=3))
    assert sweep(uow, clock) == []


def test_the_ladder_has_no_step_beyond_its_top(uow: FakeUnitOfWork, clock: SimClock) -> None:
    ticket = replace(report(uow, PLANT, clock), escalation_level=2)
    assert escalation.next_step(PLANT, ticket, clock.now()) is None


def test_a_team_without_a_department_head_escalates_to_every_department_head() -> None:
    plant = make_plant(departments=tuple(
        replace(d, head=None) if d.id == "EQUIP" else d for d in PLANT.departments
    ))
    assert escalation.recipients_for(plant, Role.DEPARTMENT_HEAD, "MECH") == ("DH-EQUIP",)
    assert escalation.recipients_for(plant, Role.SAFETY_MANAGER, "MECH") == ("SM",)


def test_a_one_rung_ladder_goes_straight_to_its_top(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    plant = make_plant(escalation=(EscalationLevel(role=Role.SAFETY_MANAGER, window="1h"),))
    code = report(uow, plant, clock).code
    clock.advance(24 * HOUR)
    events = escalate_due_tickets(uow=uow, plant=plant, clock=clock)
    assert events == [TicketEscalated(code, 1, Role.SAFETY_MANAGER, ("SM",))]
    assert stored(uow, code).due_at is None


def test_due_lists_only_open_tickets_whose_deadline_has_passed(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    late = report(uow, PLANT, clock).code
    clock.advance(HOUR)
    report(uow, PLANT, clock, urgency=Severity.GENERAL)  # due an hour later
    rejected = report(uow, PLANT, clock).code
    act(uow, clock, rejected, Action.REJECT, "TL-MECH", reason="不是隐患")
    clock.set(T0 + 24 * HOUR)
    assert [t.code for t in uow.tickets.due(clock.now())] == [late]


# --- the simulated clock


def test_the_simulated_clock_moves_only_when_told() -> None:
    clock = SimClock(T0)
    assert clock.now() == T0
    clock.advance(90 * timedelta(minutes=1))
    assert clock.now() == T0 + timedelta(minutes=90)


def test_the_simulated_clock_refuses_to_run_backwards() -> None:
    clock = SimClock(T0)
    with pytest.raises(ValueError, match="backwards"):
        clock.set(T0 - timedelta(seconds=1))


def test_the_simulated_clock_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        SimClock(datetime(2026, 11, 28, 9, 0))  # noqa: DTZ001  (the mistake under test)


def test_status_after_escalation_is_untouched(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(24 * HOUR)
    sweep(uow, clock)
    assert stored(uow, code).status is Status.REPORTED


def test_a_ticket_at_the_top_of_the_ladder_is_not_escalated_again_when_a_later_deadline_passes(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(24 * HOUR)
    sweep(uow, clock)
    clock.advance(4 * HOUR)
    sweep(uow, clock)
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")  # a resolve deadline again
    clock.advance(timedelta(days=8))
    assert sweep(uow, clock) == []
    ticket = stored(uow, code)
    assert (ticket.escalation_level, ticket.due_at) == (2, None)


# --- the two clocks a ticket shows: response (响应截止) and rectification (整改截止)

def test_a_report_starts_both_clocks_from_the_moment_it_is_made(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = report(uow, PLANT, clock, urgency=Severity.SERIOUS)
    assert (ticket.respond_by, ticket.resolve_by) == (T0 + 4 * HOUR, T0 + 4 * HOUR)
    general = report(uow, PLANT, clock)
    assert (general.respond_by, general.resolve_by) == (T0 + 24 * HOUR, T0 + timedelta(days=7))


def test_accepting_keeps_both_clocks_and_the_rectification_clock_escalates_next(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(HOUR)
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    ticket = stored(uow, code)
    assert ticket.respond_by == T0 + 24 * HOUR
    assert ticket.due_at == ticket.resolve_by == T0 + timedelta(days=7)


def test_a_hand_over_gives_the_new_team_a_fresh_response_clock_only(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(3 * HOUR)
    act(uow, clock, code, Action.REASSIGN, "TL-MECH", team="ELEC")
    ticket = stored(uow, code)
    assert ticket.respond_by == clock.now() + 24 * HOUR
    assert ticket.resolve_by == T0 + timedelta(days=7)


def test_reopening_restarts_the_rectification_clock(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                          (Action.DONE, {"after_photo": PHOTO})]:
        act(uow, clock, code, action, "TL-MECH", **extra)
    clock.advance(timedelta(days=2))
    act(uow, clock, code, Action.REOPEN, "SO1", reason="护罩仍有裂缝")
    assert stored(uow, code).resolve_by == clock.now() + timedelta(days=7)


def test_tickets_stored_before_the_clocks_were_kept_get_them_computed(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    old = replace(report(uow, PLANT, clock), respond_by=None, resolve_by=None)
    assert escalation.respond_by(PLANT, old) == T0 + 24 * HOUR
    assert escalation.resolve_by(PLANT, old) == T0 + timedelta(days=7)

"""A ticket keeps the windows and the ladder it was reported under when the plant changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core import escalation
from core.clock import SimClock
from core.deadline import DeadlinePolicy, Rung
from core.events import TicketEscalated
from core.plant import EscalationLevel, Role, Severity, SlaWindow
from core.services import ActOnTicket, act_on_ticket, escalate_due_tickets
from core.tickets import Action
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

HOUR = timedelta(hours=1)
BEFORE = make_plant()
# The same plant after someone edited plant.yaml: a shorter window and another ladder.
AFTER = make_plant(
    sla={**BEFORE.sla, Severity.GENERAL: SlaWindow(acknowledge="2h", resolve="1d")},
    escalation=(EscalationLevel(Role.SAFETY_MANAGER, "1h"), EscalationLevel(Role.ADMIN)),
)


def sweep(uow: FakeUnitOfWork, clock: SimClock) -> list[tuple[str, int, Role]]:
    events = escalate_due_tickets(uow=uow, plant=AFTER, clock=clock)
    return [(e.code, e.level, e.role) for e in events if isinstance(e, TicketEscalated)]


def test_a_new_ticket_copies_its_severitys_windows_and_the_ladder() -> None:
    assert escalation.policy_for(BEFORE, Severity.GENERAL) == DeadlinePolicy(
        windows={"acknowledge": 24 * HOUR, "resolve": 7 * 24 * HOUR},
        ladder=(Rung(Role.DEPARTMENT_HEAD, 4 * HOUR), Rung(Role.SAFETY_MANAGER)),
    )


def test_the_policy_is_copied_onto_the_ticket_when_it_opens(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = report(uow, BEFORE, clock)
    assert ticket.policy == escalation.policy_for(BEFORE, Severity.GENERAL)
    assert ticket.remind_at == T0 + 18 * HOUR


def test_a_running_ticket_escalates_on_its_own_clock_and_ladder_after_the_plant_changes(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    old = report(uow, BEFORE, clock).code
    new = report(uow, AFTER, clock).code
    clock.advance(2 * HOUR)
    assert sweep(uow, clock) == [(new, 1, Role.SAFETY_MANAGER)]
    clock.set(T0 + 24 * HOUR)
    assert sweep(uow, clock) == [(new, 2, Role.ADMIN), (old, 1, Role.DEPARTMENT_HEAD)]
    clock.advance(4 * HOUR)
    assert sweep(uow, clock) == [(old, 2, Role.SAFETY_MANAGER)]


def test_a_hand_over_restarts_the_response_clock_with_the_window_the_ticket_opened_under(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, BEFORE, clock).code
    clock.advance(HOUR)
    act_on_ticket(ActOnTicket(code=code, action=Action.REASSIGN, actor="TL-MECH", team="ELEC"),
                  uow=uow, plant=AFTER, clock=clock)
    ticket = uow.tickets.get(code)
    assert ticket is not None
    assert ticket.respond_by == ticket.due_at == clock.now() + 24 * HOUR


def test_a_ticket_stored_before_policies_were_copied_follows_the_plant_until_it_moves(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    ticket = report(uow, BEFORE, clock)
    uow.tickets.save(replace(ticket, policy=None, respond_by=None, resolve_by=None))
    stored = uow.tickets.get(ticket.code)
    assert stored is not None
    assert escalation.policy_of(AFTER, stored) == escalation.policy_for(AFTER, Severity.GENERAL)
    assert escalation.respond_by(AFTER, stored) == T0 + 2 * HOUR
    act_on_ticket(ActOnTicket(code=ticket.code, action=Action.ACCEPT, actor="TL-MECH"),
                  uow=uow, plant=AFTER, clock=clock)
    moved = uow.tickets.get(ticket.code)
    assert moved is not None and moved.policy == escalation.policy_for(AFTER, Severity.GENERAL)

"""Cross-department chains in the domain: steps, their dependencies, hand-overs, lateness
and the ticket's resolve, on in-memory fakes and a simulated clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.chain_events import (
    ChainOpened,
    StepConfirmed,
    StepDone,
    StepHandedOver,
    StepOpened,
    StepReminded,
    StepWarned,
)
from core.chain_services import (
    ConfirmStep,
    FinishStep,
    HandOverStep,
    cancel_chain,
    confirm_step,
    finish_step,
    hand_over_step,
    note_closed,
    open_chain,
    sweep_late_steps,
)
from core.chains import Chain, StepRefused, StepState
from core.clock import SimClock
from core.events import TicketEscalated, TicketResolved
from core.plant import ChainMatch, ChainRule, Chains, ChainStepRule, Person, Role
from core.services import (
    ActionRefused,
    ActOnTicket,
    act_on_ticket,
    check_allowed,
    escalate_due_tickets,
)
from core.tickets import Action, Status, Ticket
from tests.unit.core.fakes import FakeUnitOfWork, make_plant, report

HOUR = timedelta(hours=1)
CABINET = ChainRule(
    id="cabinet", name="配电柜异常联合处置", name_en="Distribution board fault",
    match=ChainMatch(category="electrical", equipment_type="cabinet"),
    steps=(
        ChainStepRule(id="assess", department="SAFETY", role=Role.SAFETY_OFFICER, window="2h"),
        ChainStepRule(id="repair", department="EQUIP", role=Role.TEAM_LEAD, team="ELEC",
                      window="4h", after=("assess",)),
        ChainStepRule(id="reschedule", department="EQUIP", role=Role.DEPARTMENT_HEAD,
                      window="4h"),
    ),
)
BASE = make_plant()
PLANT = make_plant(
    chains=Chains(warn_after="1h", rules=(CABINET,)),
    # A second safety officer to hand over to; the officers answer to the safety manager.
    people=(
        *(p if p.id != "SO1" else Person(id="SO1", name="李娜", roles=p.roles,
                                          department="SAFETY", superior="SM")
          for p in BASE.people),
        Person(id="SO2", name="刘洋", roles=(Role.SAFETY_OFFICER,), department="SAFETY",
               superior="SM"),
    ),
)


def cabinet_ticket(uow: FakeUnitOfWork, clock: SimClock) -> Ticket:
    ticket = report(uow, PLANT, clock, category="electrical", area="PAINT", equipment="PDG-03")
    open_chain(ticket.code, uow=uow, plant=PLANT, clock=clock)
    return ticket


def chain_of(uow: FakeUnitOfWork, code: str) -> Chain:
    chain = uow.chains.get(code)
    assert chain is not None
    return chain


def step_id(uow: FakeUnitOfWork, code: str, key: str) -> int:
    step = chain_of(uow, code).step(key)
    assert step is not None and step.id is not None
    return step.id


def states(uow: FakeUnitOfWork, code: str) -> dict[str, tuple[StepState, str | None]]:
    return {s.key: (s.state, s.holder) for s in chain_of(uow, code).steps}


def confirm(uow: FakeUnitOfWork, clock: SimClock, code: str, key: str, actor: str,
            hours: float = 2) -> None:
    confirm_step(ConfirmStep(step_id(uow, code, key), actor, clock.now() + hours * HOUR),
                 uow=uow, plant=PLANT, clock=clock)


def finish(uow: FakeUnitOfWork, clock: SimClock, code: str, key: str, actor: str,
           *, photo: str | None = None) -> None:
    finish_step(FinishStep(step_id(uow, code, key), actor, note="已处理", photo=photo),
                uow=uow, plant=PLANT, clock=clock)


def test_a_matching_report_opens_the_steps_that_wait_for_nothing(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    ticket = cabinet_ticket(uow, clock)
    assert states(uow, ticket.code) == {
        "assess": (StepState.OPEN, "SO1"),
        "repair": (StepState.WAITING, None),
        "reschedule": (StepState.OPEN, "DH-EQUIP"),
    }
    events = uow.collect_new_events()
    assert [type(e) for e in events[1:]] == [ChainOpened, StepOpened, StepOpened]
    held = uow.tickets.get(ticket.code)
    assert held is not None and held.chain_running and held.due_at is None


def test_a_report_no_rule_matches_opens_no_chain(uow: FakeUnitOfWork, clock: SimClock) -> None:
    ticket = report(uow, PLANT, clock, category="electrical", area="MACH", equipment="CNC-07")
    assert open_chain(ticket.code, uow=uow, plant=PLANT, clock=clock) is None
    assert uow.chains.get(ticket.code) is None


def test_opening_twice_keeps_one_chain(uow: FakeUnitOfWork, clock: SimClock) -> None:
    ticket = cabinet_ticket(uow, clock)
    assert open_chain(ticket.code, uow=uow, plant=PLANT, clock=clock) is None


def test_the_repair_waits_for_the_assessment_and_opens_when_it_is_done(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    with pytest.raises(StepRefused, match="step_waiting"):
        confirm(uow, clock, code, "repair", "TL-ELEC")
    confirm(uow, clock, code, "assess", "SO1")
    assert states(uow, code)["repair"] == (StepState.WAITING, None)
    uow.collect_new_events()
    finish(uow, clock, code, "assess", "SO1")
    assert states(uow, code)["repair"] == (StepState.OPEN, "TL-ELEC")
    assert [type(e) for e in uow.collect_new_events()] == [StepDone, StepOpened]


def test_confirming_keeps_the_promise_and_takes_the_ticket_on(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    confirm(uow, clock, code, "assess", "SO1", hours=3)
    step = chain_of(uow, code).step("assess")
    assert step is not None and step.state is StepState.CONFIRMED
    assert step.promised_at == clock.now() + 3 * HOUR and step.due_at == step.promised_at
    ticket = uow.tickets.get(code)
    assert ticket is not None and ticket.status is Status.IN_PROGRESS
    assert isinstance(uow.collect_new_events()[-1], StepConfirmed)


@pytest.mark.parametrize(("actor", "reason"), [("TL-ELEC", "step_not_yours"),
                                               ("SO2", "step_not_yours")])
def test_only_the_holder_may_move_a_step(
    uow: FakeUnitOfWork, clock: SimClock, actor: str, reason: str,
) -> None:
    code = cabinet_ticket(uow, clock).code
    before = chain_of(uow, code)
    with pytest.raises(StepRefused, match=reason):
        confirm(uow, clock, code, "assess", actor)
    with pytest.raises(StepRefused, match=reason):
        finish(uow, clock, code, "assess", actor)
    assert chain_of(uow, code) == before


def test_a_second_confirm_and_a_press_on_a_done_step_are_refused(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    confirm(uow, clock, code, "assess", "SO1")
    with pytest.raises(StepRefused, match="step_confirmed"):
        confirm(uow, clock, code, "assess", "SO1")
    finish(uow, clock, code, "assess", "SO1")
    for press in (lambda: confirm(uow, clock, code, "assess", "SO1"),
                  lambda: finish(uow, clock, code, "assess", "SO1")):
        with pytest.raises(StepRefused, match="step_finished"):
            press()


def test_a_promise_in_the_past_is_refused(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = cabinet_ticket(uow, clock).code
    with pytest.raises(StepRefused, match="promise_past"):
        confirm(uow, clock, code, "assess", "SO1", hours=-1)


def test_a_handed_over_step_goes_to_a_colleague_who_must_confirm_it(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    confirm(uow, clock, code, "assess", "SO1")
    clock.advance(HOUR)
    hand_over_step(HandOverStep(step_id(uow, code, "assess"), "SO1", "SO2"),
                   uow=uow, plant=PLANT, clock=clock)
    step = chain_of(uow, code).step("assess")
    assert step is not None
    assert (step.state, step.holder, step.handed_by) == (StepState.OPEN, "SO2", "SO1")
    assert step.promised_at is None and step.due_at == clock.now() + 2 * HOUR
    assert isinstance(uow.collect_new_events()[-1], StepHandedOver)
    with pytest.raises(StepRefused, match="step_not_yours"):
        confirm(uow, clock, code, "assess", "SO1")
    confirm(uow, clock, code, "assess", "SO2")


def test_a_step_is_not_handed_over_outside_its_department(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    for stranger in ("TL-ELEC", "nobody"):
        with pytest.raises(StepRefused, match="handover_elsewhere"):
            hand_over_step(HandOverStep(step_id(uow, code, "assess"), "SO1", stranger),
                           uow=uow, plant=PLANT, clock=clock)
    assert states(uow, code)["assess"] == (StepState.OPEN, "SO1")


def test_the_ticket_resolves_when_every_step_is_done_with_the_newest_photo(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    finish(uow, clock, code, "assess", "SO1", photo="c" * 64)
    finish(uow, clock, code, "reschedule", "DH-EQUIP")
    ticket = uow.tickets.get(code)
    assert ticket is not None and ticket.status is Status.IN_PROGRESS
    clock.advance(HOUR)
    uow.collect_new_events()
    finish(uow, clock, code, "repair", "TL-ELEC", photo="d" * 64)
    ticket = uow.tickets.get(code)
    assert ticket is not None
    assert (ticket.status, ticket.after_photo, ticket.resolved_at, ticket.chain_running) == (
        Status.RESOLVED, "d" * 64, clock.now(), False)
    resolved = uow.collect_new_events()[-1]
    assert isinstance(resolved, TicketResolved) and resolved.actor == "TL-ELEC"
    assert chain_of(uow, code).completed_at == clock.now()
    # The fix is verified as any other: safety staff may close it.
    check_allowed(PLANT, "SO1", Action.CLOSE, ticket)


def test_the_teams_own_actions_wait_while_the_chain_runs(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    ticket = uow.tickets.get(code)
    assert ticket is not None
    for action in (Action.ACCEPT, Action.REJECT, Action.REASSIGN):
        with pytest.raises(ActionRefused, match="wrong_state"):
            check_allowed(PLANT, "TL-ELEC", action, ticket)


def test_the_tickets_own_clock_does_not_escalate_a_chain_ticket(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    cabinet_ticket(uow, clock)
    clock.advance(timedelta(days=30))
    events = escalate_due_tickets(uow=uow, plant=PLANT, clock=clock)
    assert not [e for e in events if isinstance(e, TicketEscalated)]


def sweep(uow: FakeUnitOfWork, clock: SimClock) -> list[object]:
    return sweep_late_steps(uow=uow, plant=PLANT, clock=clock)


def test_a_step_not_confirmed_in_its_window_reminds_then_warns_the_superior_once(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    finish(uow, clock, code, "reschedule", "DH-EQUIP")
    opened = clock.now()
    clock.advance(2 * HOUR - timedelta(minutes=1))
    assert sweep(uow, clock) == []
    clock.advance(timedelta(minutes=1))
    [reminded] = sweep(uow, clock)
    assert reminded == StepReminded(code, "assess", "SO1", opened + 2 * HOUR, False)
    assert sweep(uow, clock) == [], "sweeping again at the same instant does nothing"
    clock.advance(HOUR)
    [warned] = sweep(uow, clock)
    assert warned == StepWarned(code, "assess", "SO1", opened + 2 * HOUR, False, "SM")
    clock.advance(timedelta(days=3))
    assert sweep(uow, clock) == []
    assert uow.chains.next_due_at() is None


def test_a_confirmed_step_late_on_its_promise_is_reminded_and_warned_again(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    clock.advance(3 * HOUR + timedelta(minutes=1))
    assert [(type(e), e.step) for e in sweep(uow, clock)] == [  # type: ignore[attr-defined]
        (StepReminded, "assess")]
    confirm(uow, clock, code, "assess", "SO1", hours=1)
    promised = clock.now() + HOUR
    clock.advance(HOUR)
    reminded = sweep(uow, clock)
    assert StepReminded(code, "assess", "SO1", promised, True) in reminded
    clock.advance(HOUR)
    # DH-EQUIP, late on `reschedule` too, has nobody above them in this plant.
    assert sweep(uow, clock) == [StepWarned(code, "assess", "SO1", promised, True, "SM")]


def test_a_done_step_is_neither_reminded_nor_warned(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    finish(uow, clock, code, "assess", "SO1")
    finish(uow, clock, code, "reschedule", "DH-EQUIP")
    clock.advance(timedelta(days=2))
    late = sweep(uow, clock)
    assert {e.step for e in late if isinstance(e, StepReminded)} == {"repair"}


def test_a_ticket_judged_invalid_stops_its_chain(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = cabinet_ticket(uow, clock).code
    act_on_ticket(ActOnTicket(code, Action.INVALID, "SO1", reason="误报"),
                  uow=uow, plant=PLANT, clock=clock)
    [cancelled] = cancel_chain(code, uow=uow, clock=clock)
    assert set(cancelled.holders) == {"SO1", "DH-EQUIP"}  # type: ignore[attr-defined]
    assert {state for state, _ in states(uow, code).values()} == {StepState.CANCELLED}
    clock.advance(timedelta(days=2))
    assert sweep(uow, clock) == []
    assert cancel_chain(code, uow=uow, clock=clock) == []


def test_the_close_cycle_is_kept_in_days_when_the_ticket_closes(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    code = cabinet_ticket(uow, clock).code
    clock.advance(timedelta(days=1))
    for key, holder in (("assess", "SO1"), ("reschedule", "DH-EQUIP"), ("repair", "TL-ELEC")):
        finish(uow, clock, code, key, holder)
    clock.advance(timedelta(hours=12))
    act_on_ticket(ActOnTicket(code, Action.CLOSE, "SO1"), uow=uow, plant=PLANT, clock=clock)
    chain = note_closed(code, uow=uow)
    assert chain is not None and chain.close_days == 1.5
    assert chain_of(uow, code).close_days == 1.5

"""A ticket that is not open keeps no deadline: the sweeps rely on it.

The due queries find rows through the deadline indexes and only check the status on what
they find (storage.tickets.still_open); a closed ticket with a deadline left would sit in
the index's due range for ever. Every way through the ticket's states is walked here,
lateness included, and each state that is not open must have cleared both clocks.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable
from datetime import timedelta

from core.clock import SimClock
from core.services import (
    ActionRefused,
    ActOnTicket,
    act_on_ticket,
    escalate_due_tickets,
)
from core.tickets import TRANSITIONS, Action, Status, Ticket
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

PLANT = make_plant()
ACTORS = ("TL-MECH", "TL-ELEC", "ADMIN", "SO1", "SM")
DEPTH = 7

State = tuple[FakeUnitOfWork, SimClock, str]


def inputs(action: Action, ticket: Ticket, original: str) -> dict[str, str]:
    """What each action needs to be done at all."""
    return {
        Action.DONE: {"after_photo": "c" * 64},
        Action.REJECT: {"reason": "不是隐患"},
        Action.INVALID: {"reason": "不是隐患"},
        Action.OVERRULE: {"reason": "确有隐患"},
        Action.REASSIGN: {"team": "ELEC" if ticket.team == "MECH" else "MECH"},
        Action.DUPLICATE: {"duplicate_of": original},
    }.get(action, {})


def act(state: State, action: Action, original: str) -> State | None:
    """The state after the first actor allowed to do `action`; None if nobody may."""
    uow, clock, code = copy.deepcopy(state)
    ticket = uow.tickets.get(code)
    assert ticket is not None
    for actor in ACTORS:
        try:  # a refusal comes before any change: the copy serves the next actor
            act_on_ticket(ActOnTicket(code=code, action=action, actor=actor,
                                      **inputs(action, ticket, original)),
                          uow=uow, plant=PLANT, clock=clock)
        except ActionRefused:
            continue
        return uow, clock, code
    return None


def late(state: State) -> State:
    """A week passes and the sweep runs: whatever was due has climbed or stopped."""
    uow, clock, code = copy.deepcopy(state)
    clock.advance(timedelta(days=8))
    escalate_due_tickets(uow=uow, plant=PLANT, clock=clock)
    return uow, clock, code


def walk(check: Callable[[Ticket], None]) -> set[tuple[Status, int]]:
    """Every state reachable in DEPTH moves, each checked; the (status, level) pairs seen."""
    uow, clock = FakeUnitOfWork(), SimClock(T0)
    original = report(uow, PLANT, clock).code
    start: State = (uow, clock, report(uow, PLANT, clock).code)
    seen: set[tuple[object, ...]] = set()
    reached: set[tuple[Status, int]] = set()
    queue = deque([(start, 0)])
    while queue:
        state, depth = queue.popleft()
        ticket = state[0].tickets.get(state[2])
        assert ticket is not None
        check(ticket)
        reached.add((ticket.status, ticket.escalation_level))
        key = (ticket.status, ticket.validity, ticket.escalation_level, ticket.team,
               ticket.due_at is None)
        if key in seen or depth == DEPTH:
            continue
        seen.add(key)
        moves = [act(state, action, original) for action in TRANSITIONS]
        for following in [*moves, late(state)]:
            if following is not None:
                queue.append((following, depth + 1))
    return reached


def no_clock_unless_open(ticket: Ticket) -> None:
    if not ticket.is_open:
        assert (ticket.due_at, ticket.remind_at) == (None, None), (ticket.status, ticket)


def test_no_ticket_that_is_not_open_keeps_a_deadline_or_a_reminder() -> None:
    reached = walk(no_clock_unless_open)
    statuses = {status for status, _ in reached}
    # The walk must reach every state, late ones too, or it proves nothing.
    assert statuses == set(Status)
    assert {level for _, level in reached} >= {0, 1, 2}
    assert {(s, level) for s, level in reached if level} & {
        (Status.RESOLVED, 1), (Status.CLOSED, 1), (Status.REJECTED, 1)}

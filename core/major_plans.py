"""Use cases on major hazards besides grading (an action on the ticket): entering the
remediation plan, and a safety officer's verify that asks the safety manager to accept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from core import escalation
from core.events import Event, MajorAcceptanceRequested, RemediationPlanEntered
from core.major_hazards import (
    ACCEPTANCE_NEEDED,
    MAX_FUNDS,
    PAST_DEADLINE,
    RemediationPlan,
    deadline_end,
    plan_refusal,
    today,
)
from core.plant import Plant
from core.ports import Clock, UnitOfWork
from core.services import ActionRefused, check_allowed, check_ready, record_event
from core.tickets import Action


@dataclass(frozen=True)
class EnterPlan:
    code: str
    actor: str
    responsible: str
    measures: str
    funds: Decimal
    deadline: date
    emergency_plan: str


def enter_plan(cmd: EnterPlan, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> list[Event]:
    """Keep a major hazard's plan (replacing an earlier one) and time the fix by its deadline:
    the rectification deadline becomes the end of the plan's last day."""
    ticket = uow.tickets.get(cmd.code)
    reason = plan_refusal(plant, plant.person(cmd.actor), ticket)
    if reason is not None:
        raise ActionRefused(reason)
    assert ticket is not None  # plan_refusal says unknown_ticket otherwise
    now = clock.now()
    _check_elements(cmd, plant, now)
    plan = RemediationPlan(
        code=ticket.code, responsible=cmd.responsible, measures=cmd.measures.strip(),
        funds=cmd.funds, deadline=cmd.deadline, emergency_plan=cmd.emergency_plan.strip(),
        entered_by=cmd.actor, entered_at=now,
    )
    uow.majors.save_plan(plan)
    ticket.resolve_by = deadline_end(plant, plan.deadline)
    escalation.reschedule(plant, ticket, now)
    uow.tickets.save(ticket)
    event = RemediationPlanEntered(
        code=ticket.code, actor=cmd.actor, responsible=plan.responsible,
        measures=plan.measures, funds=f"{plan.funds:.2f}", deadline=plan.deadline.isoformat(),
        emergency_plan=plan.emergency_plan,
    )
    record_event(uow, clock, event)
    return [event]


def _check_elements(cmd: EnterPlan, plant: Plant, now: datetime) -> None:
    """The conversation checked each element as it was typed; the day may have turned since."""
    if plant.person(cmd.responsible) is None:
        raise ActionRefused("plan_responsible_unknown")
    if not (cmd.measures.strip() and cmd.emergency_plan.strip()):
        raise ActionRefused("plan_incomplete")
    if not Decimal(0) <= cmd.funds <= MAX_FUNDS:
        raise ActionRefused("plan_funds_invalid")
    if cmd.deadline < today(plant, now):
        raise ActionRefused(PAST_DEADLINE)


def request_acceptance(
    code: str, *, actor: str, uow: UnitOfWork, plant: Plant, clock: Clock
) -> list[Event]:
    """A safety officer's verify of a major hazard's fix: it stays resolved and the safety
    manager is asked to accept it. Anything else about the press is refused as usual."""
    ticket = uow.tickets.get(code)
    if ticket is None:
        raise ActionRefused("unknown_ticket")
    check_allowed(plant, actor, Action.CLOSE, ticket)
    try:
        check_ready(uow, plant, actor, Action.CLOSE, ticket)
    except ActionRefused as refused:
        if refused.reason != ACCEPTANCE_NEEDED:
            raise
    else:
        raise ActionRefused("wrong_state")  # the safety manager closes; nobody to ask
    event = MajorAcceptanceRequested(code=ticket.code, actor=actor)
    record_event(uow, clock, event)
    return [event]

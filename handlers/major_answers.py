"""A press that a major hazard's rules stop, answered with the way forward: work waiting for
its plan offers the plan's button; a safety officer's verify asks the safety manager."""

from __future__ import annotations

from core.buttons import PlanButton, encode
from core.major_hazards import ACCEPTANCE_NEEDED, PLAN_MISSING, acceptors, may_plan
from core.major_plans import request_acceptance
from core.services import ActionRefused
from handlers import render
from handlers.context import ButtonSpec, Turn


def plan_button(code: str) -> ButtonSpec:
    return "button.enter_plan", encode(PlanButton(code))


def answer(turn: Turn, reason: str, code: str) -> bool:
    """Answer a major hazard's refusal its own way; False for any other refusal."""
    if reason == ACCEPTANCE_NEEDED:
        ask_manager(turn, code)
        return True
    if reason == PLAN_MISSING:
        ticket = turn.uow.tickets.get(code)
        may = ticket is not None and may_plan(turn.plant, turn.person, ticket)
        turn.reply("refused.major_plan_missing", code=code,
                   buttons=[plan_button(code)] if may else [])
        return True
    return False


def ask_manager(turn: Turn, code: str) -> None:
    """Ask the safety managers to accept the fix, and tell the officer who was asked."""
    try:
        request_acceptance(code, actor=turn.person.id, uow=turn.uow, plant=turn.plant,
                           clock=turn.services.clock)
    except ActionRefused as refused:
        turn.reply(f"refused.{refused.reason}", code=code)
        return
    managers = "、".join(render.person_name(turn.plant, p) for p in acceptors(turn.plant))
    turn.reply("major.acceptance_requested", code=code, managers=managers or "-")

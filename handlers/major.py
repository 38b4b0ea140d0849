"""Major hazards in chat: `/major CODE` grades, `/plan CODE` (or its button) enters the plan.

Grading is the ticket action `major` (a button on the safety manager's cards, the same
press); the plan is a conversation (plan.py) held in the person's direct chat.
"""

from __future__ import annotations

from core.buttons import PlanButton
from core.major_hazards import plan_refusal
from core.tickets import Action
from handlers.context import Turn
from handlers.drafts import PlanDraft
from handlers.flows import start_flow
from handlers.plan import PLAN
from handlers.ticket_actions import in_private, press

MAX_CODE = 30  # characters of a typed code repeated in a reply


def grade(turn: Turn) -> None:
    """`/major CODE`: what the button on the card does, for a ticket typed by its code."""
    code = turn.event.args.strip().upper()
    if not code:
        turn.reply("major.usage")
        return
    press(turn, Action.MAJOR, code[:MAX_CODE])


def plan(turn: Turn) -> None:
    """`/plan CODE`: enter (or replace) the remediation plan of a major hazard."""
    code = turn.event.args.strip().upper()
    if not code:
        turn.reply("plan.usage")
        return
    start_plan(turn, code[:MAX_CODE])


def press_plan(turn: Turn, pressed: PlanButton) -> None:
    start_plan(turn, pressed.code)


def start_plan(turn: Turn, code: str) -> None:
    ticket = turn.uow.tickets.get(code)
    reason = plan_refusal(turn.plant, turn.person, ticket)
    if reason is not None:
        turn.reply(f"refused.{reason}", code=code)
        return
    assert ticket is not None  # plan_refusal names an unknown ticket
    start_flow(in_private(turn), PLAN, record=PlanDraft(code=ticket.code))

"""/plan CODE: a major hazard's remediation plan, the five elements (五落实), step by step.

responsible person → measures → funds → deadline → emergency plan → summary to submit,
edit or cancel (see plan.mmd). The safety manager or the lead of the ticket's team enters
it; work on the hazard may start only once it is submitted (core/major_hazards.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from core.dialog import END, STAY, EventKind, Flow, Incoming, Outcome, Step
from core.major_hazards import MANAGER, PAST_DEADLINE, suggested_deadlines, today
from core.major_plans import EnterPlan, enter_plan
from core.services import ActionRefused
from handlers import render
from handlers.choices import choose, offer, refuse
from handlers.context import Turn
from handlers.drafts import PlanDraft
from handlers.plan_inputs import parse_date, parse_funds, person_by_text

TEXT_LIMITS = (4, 1000)  # characters of the measures and of the emergency plan


class Plan(Enum):
    RESPONSIBLE = "responsible"
    MEASURES = "measures"
    FUNDS = "funds"
    DEADLINE = "deadline"
    EMERGENCY = "emergency_plan"
    CONFIRM = "confirm"
    EDIT = "edit"


Next = Plan | Outcome
ELEMENT_STEPS = (Plan.RESPONSIBLE, Plan.MEASURES, Plan.FUNDS, Plan.DEADLINE, Plan.EMERGENCY)


def _draft(turn: Turn) -> PlanDraft:
    return PLAN.record_of(turn)


def _then(turn: Turn, natural: Plan) -> Plan:
    return Plan.CONFIRM if _draft(turn).editing else natural


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# -- responsible person -----------------------------------------------------

def _candidates(turn: Turn) -> list[str]:
    """Who usually answers for a fix: the team's lead, its department's head, the safety
    manager; anyone else by id or name."""
    plant = turn.plant
    ticket = turn.uow.tickets.get(_draft(turn).code)
    team = plant.teams_by_id.get(ticket.team) if ticket else None
    department = plant.departments_by_id.get(team.department or "") if team else None
    wanted = [team.lead if team else None, department.head if department else None,
              *(p.id for p in plant.with_role(MANAGER))]
    return list(dict.fromkeys(p for p in wanted if p and plant.person(p)))


def _ask_responsible(turn: Turn) -> None:
    people = [(render.person_name(turn.plant, p), p) for p in _candidates(turn)]
    offer(turn, "plan.ask_responsible", people, code=_draft(turn).code)


def _take_responsible(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            refuse(turn, "plan.responsible_invalid", text="-")
        return STAY
    person = person_by_text(turn.plant, choice)
    if person is None:
        refuse(turn, "plan.responsible_invalid", text=choice[:40])
        return STAY
    _draft(turn).responsible = person
    return _then(turn, Plan.MEASURES)


# -- measures, funds ---------------------------------------------------------

def _text(event: Incoming) -> str | None:
    text = event.text.strip() if event.kind is EventKind.TEXT else ""
    low, high = TEXT_LIMITS
    return text if low <= len(text) <= high else None


def _ask_measures(turn: Turn) -> None:
    turn.reply("plan.ask_measures", code=_draft(turn).code)


def _take_measures(turn: Turn, event: Incoming) -> Next:
    text = _text(event)
    if text is None:
        turn.reply("plan.text_invalid")
        return STAY
    _draft(turn).measures = text
    return _then(turn, Plan.FUNDS)


def _ask_funds(turn: Turn) -> None:
    turn.reply("plan.ask_funds")


def _take_funds(turn: Turn, event: Incoming) -> Next:
    amount = parse_funds(event.text) if event.kind is EventKind.TEXT else None
    if amount is None:
        turn.reply("plan.funds_invalid", text=event.text.strip()[:40] or "-")
        return STAY
    _draft(turn).funds = str(amount)
    return _then(turn, Plan.DEADLINE)


# -- deadline, emergency plan ------------------------------------------------

def _ask_deadline(turn: Turn) -> None:
    now = turn.services.clock.now()
    start = today(turn.plant, now)
    choices = [(turn.text("plan.deadline_choice", date=day.isoformat(),
                          days=(day - start).days), day.isoformat())
               for day in suggested_deadlines(turn.plant, now)]
    offer(turn, "plan.ask_deadline", choices, today=start.isoformat())


def _take_deadline(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            refuse(turn, "plan.deadline_invalid", text="-")
        return STAY
    start = today(turn.plant, turn.services.clock.now())
    day = parse_date(choice, start)
    if day is None:
        refuse(turn, "plan.deadline_invalid", text=choice[:40])
        return STAY
    if day < start:
        refuse(turn, "plan.deadline_past", date=day.isoformat(), today=start.isoformat())
        return STAY
    _draft(turn).deadline = day.isoformat()
    return _then(turn, Plan.EMERGENCY)


def _ask_emergency(turn: Turn) -> None:
    turn.reply("plan.ask_emergency_plan")


def _take_emergency(turn: Turn, event: Incoming) -> Next:
    text = _text(event)
    if text is None:
        turn.reply("plan.text_invalid")
        return STAY
    _draft(turn).emergency_plan = text
    return Plan.CONFIRM


# -- confirm and edit --------------------------------------------------------

def summary(turn: Turn, draft: PlanDraft) -> dict[str, str]:
    """The plan's elements as the summary and the notices show them."""
    funds = parse_funds(draft.funds or "")
    return {
        "code": draft.code,
        "responsible": render.person_name(turn.plant, draft.responsible or "-"),
        "measures": draft.measures or "-", "funds": money(funds) if funds is not None else "-",
        "deadline": draft.deadline or "-", "emergency_plan": draft.emergency_plan or "-",
    }


def _ask_confirm(turn: Turn) -> None:
    draft = _draft(turn)
    draft.editing = False
    offer(turn, "plan.summary",
          [("button.submit", "submit"), ("button.edit", "edit"), ("button.cancel", "cancel")],
          **summary(turn, draft))


def _take_confirm(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice == "edit":
        return Plan.EDIT
    if choice == "cancel":
        turn.reply("plan.cancelled", code=_draft(turn).code)
        return END
    if choice != "submit":
        if choice is not None:
            refuse(turn, "report.confirm_expected")
        return STAY
    draft = _draft(turn)
    if draft.missing():  # a draft saved by another version lost an element: ask for it again
        return Plan(draft.missing()[0])
    return _submit(turn, draft)


def _submit(turn: Turn, draft: PlanDraft) -> Next:
    assert draft.responsible and draft.measures and draft.funds and draft.emergency_plan
    command = EnterPlan(
        code=draft.code, actor=turn.person.id, responsible=draft.responsible,
        measures=draft.measures, funds=Decimal(draft.funds),
        deadline=date.fromisoformat(draft.deadline or ""), emergency_plan=draft.emergency_plan,
    )
    try:
        enter_plan(command, uow=turn.uow, plant=turn.plant, clock=turn.services.clock)
    except ActionRefused as refused:
        turn.reply(f"refused.{refused.reason}", code=draft.code)
        if refused.reason != PAST_DEADLINE:
            return END
        # The night passed while the summary waited: only the deadline needs a new answer.
        draft.editing = True
        return Plan.DEADLINE
    turn.reply("plan.saved", code=draft.code)
    return END


def _ask_edit(turn: Turn) -> None:
    offer(turn, "plan.ask_edit",
          [(f"major.element.{step.value}", step.value) for step in ELEMENT_STEPS])


def _take_edit(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    step = next((s for s in ELEMENT_STEPS if s.value == choice), None)
    if step is None:
        if choice is not None:
            refuse(turn, "report.edit_invalid")
        return STAY
    _draft(turn).editing = True
    return step


PLAN: Flow[Plan, Turn, PlanDraft] = Flow(
    name="plan",
    states=Plan,
    start=Plan.RESPONSIBLE,
    record=PlanDraft,
    steps={
        Plan.RESPONSIBLE: Step(_ask_responsible, _take_responsible),
        Plan.MEASURES: Step(_ask_measures, _take_measures),
        Plan.FUNDS: Step(_ask_funds, _take_funds),
        Plan.DEADLINE: Step(_ask_deadline, _take_deadline),
        Plan.EMERGENCY: Step(_ask_emergency, _take_emergency),
        Plan.CONFIRM: Step(_ask_confirm, _take_confirm),
        Plan.EDIT: Step(_ask_edit, _take_edit),
    },
    # Measures and an emergency plan take a while to write: longer than a report's half hour.
    timeout=timedelta(hours=2),
)

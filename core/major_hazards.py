"""Major hazards (重大事故隐患): the remediation plan and the rules a graded ticket follows.

The safety manager grades a ticket (`Action.MAJOR` in the transition table). From then on
work may neither start nor be reported done without a remediation plan holding the five
elements (五落实: responsible person, measures, funds, deadline, emergency plan), and only
the safety manager's acceptance closes it: a safety officer's verify asks them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.plant import Person, Plant, Role
from core.tickets import OPEN_STATUSES, Action, Ticket, is_team_lead

# The five elements in the order they are asked and listed; the catalog names each as
# `major.element.<name>`.
ELEMENTS = ("responsible", "measures", "funds", "deadline", "emergency_plan")

# Refusal reasons (message keys under `refused.`), named once for the handlers that react.
PLAN_MISSING = "major_plan_missing"
ACCEPTANCE_NEEDED = "major_acceptance"
NOT_MAJOR = "not_major"
PAST_DEADLINE = "plan_deadline_past"

# What a plan cannot start without, and what the acceptance rule guards.
_NEEDS_PLAN = (Action.START, Action.DONE)
MANAGER = Role.SAFETY_MANAGER
# Funds above this are a typing slip (a number pasted twice), not a budget.
MAX_FUNDS = Decimal("100000000000")


@dataclass(frozen=True)
class RemediationPlan:
    """The five elements of a major hazard's remediation (五落实), and who entered them."""

    code: str
    responsible: str
    measures: str
    funds: Decimal  # yuan, two decimals at most
    deadline: date  # the last plant-local day for the fix
    emergency_plan: str
    entered_by: str
    entered_at: datetime


def blocked(action: Action, ticket: Ticket, person: Person, *, has_plan: bool) -> str | None:
    """Why a major hazard may not take this action now (a `refused.` key), or None."""
    if not ticket.is_major:
        return None
    if action in _NEEDS_PLAN and not has_plan:
        return PLAN_MISSING
    if action is Action.CLOSE and not person.has(MANAGER):
        return ACCEPTANCE_NEEDED
    return None


def may_plan(plant: Plant, person: Person, ticket: Ticket) -> bool:
    """The safety manager, or the lead of the team that holds the ticket, enters its plan."""
    return person.has(MANAGER) or is_team_lead(plant, person, ticket.team)


def plan_refusal(plant: Plant, person: Person | None, ticket: Ticket | None) -> str | None:
    """Why this person may not enter a plan for this ticket now (a `refused.` key), or None."""
    if ticket is None:
        return "unknown_ticket"
    if person is None or not may_plan(plant, person, ticket):
        return "not_allowed"
    if not ticket.is_major:
        return NOT_MAJOR
    if ticket.status not in OPEN_STATUSES:
        return "wrong_state"
    return None


def today(plant: Plant, now: datetime) -> date:
    return now.astimezone(ZoneInfo(plant.timezone)).date()


def deadline_end(plant: Plant, deadline: date) -> datetime:
    """The instant the plan's last day ends, in the plant's zone: the fix is late after it."""
    return datetime.combine(deadline, time(23, 59), ZoneInfo(plant.timezone))


def suggested_deadlines(plant: Plant, now: datetime) -> list[date]:
    """A week, a month and a quarter from today: the usual horizons of a remediation."""
    start = today(plant, now)
    return [start + timedelta(days=days) for days in (7, 30, 90)]


def acceptors(plant: Plant) -> list[str]:
    """Who accepts a major hazard's fix: the safety managers."""
    return [p.id for p in plant.with_role(MANAGER)]


def plant_managers(plant: Plant) -> list[str]:
    return [p.id for p in plant.with_role(Role.PLANT_MANAGER)]

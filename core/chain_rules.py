"""From plant.yaml's `chains` to a chain: which rule a report matches, who holds each step,
and who is warned when a holder is late."""

from __future__ import annotations

from datetime import datetime

from core.chains import Chain, ChainStep, lateness_policy
from core.durations import parse_duration
from core.plant import ChainMatch, ChainRule, Person, Plant, Role


def _matches(match: ChainMatch, category: str, area: str, equipment_type: str | None) -> bool:
    return (
        (match.category is None or match.category == category)
        and (match.area is None or match.area == area)
        and (match.equipment_type is None or match.equipment_type == equipment_type)
    )


def rule_for(plant: Plant, *, category: str, area: str, equipment: str | None) -> ChainRule | None:
    """The first chain rule a report matches, as routing picks its first rule; None for most."""
    kit = plant.equipment_by_code.get(equipment.upper()) if equipment else None
    equipment_type = kit.type if kit else None
    return next((rule for rule in plant.chains.rules
                 if _matches(rule.match, category, area, equipment_type)), None)


def new_chain(plant: Plant, rule: ChainRule, ticket: str, now: datetime) -> Chain:
    """A chain for the ticket with every step waiting, each with its policy copied from the
    plant as it is now: editing plant.yaml later changes only chains opened afterwards."""
    grace = parse_duration(rule.warn_after or plant.chains.warn_after)
    steps = [
        ChainStep(key=s.id, department=s.department, role=s.role, team=s.team, after=s.after,
                  policy=lateness_policy(parse_duration(s.window), grace, s.role),
                  name=s.name, name_en=s.name_en)
        for s in rule.steps
    ]
    return Chain(ticket=ticket, rule=rule.id, name=rule.name, name_en=rule.name_en,
                 opened_at=now, steps=steps)


def holder_for(plant: Plant, department: str, role: Role, team: str | None) -> str | None:
    """Who answers for a step: the lead of its team, the head of its department, or the
    first person of the department with its role, in file order."""
    if role is Role.TEAM_LEAD and team is not None:
        found = plant.teams_by_id.get(team)
        return found.lead if found else None
    if role is Role.DEPARTMENT_HEAD:
        head = plant.departments_by_id.get(department)
        if head is not None and head.head:
            return head.head
    return next((p.id for p in plant.people if p.department == department and p.has(role)), None)


def holders(plant: Plant, chain: Chain) -> dict[str, str | None]:
    """Who would hold each step of the chain if it opened now."""
    return {s.key: holder_for(plant, s.department, s.role, s.team) for s in chain.steps}


def superior_of(plant: Plant, person: str) -> str | None:
    """Who is warned when this person is late: their superior, or else the head of their
    department (unless that is themselves)."""
    found = plant.person(person)
    if found is None:
        return None
    if found.superior:
        return found.superior
    head = plant.departments_by_id.get(found.department or "")
    return head.head if head is not None and head.head and head.head != person else None


def colleagues(plant: Plant, step: ChainStep) -> list[Person]:
    """Whom the step may be handed over to: the rest of its department, in file order."""
    return [p for p in plant.people if p.department == step.department and p.id != step.holder]

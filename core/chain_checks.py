"""What is wrong with plant.yaml's `chains`: unknown ids, steps nobody holds, loops in `after`,
by YAML path so `config check` names the line."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from core.chain_rules import holder_for
from core.durations import parse_duration
from core.plant import ChainRule, ChainStepRule, Plant, Role

Problem = tuple[str, str]


def chain_problems(plant: Plant) -> Iterator[Problem]:
    yield from _duration("chains.warn_after", plant.chains.warn_after)
    first: dict[str, int] = {}
    for i, rule in enumerate(plant.chains.rules):
        where = f"chains.rules[{i}]"
        j = first.setdefault(rule.id, i)
        if j != i:
            yield f"{where}.id", f"duplicate id {rule.id!r} (already used by chains.rules[{j}])"
        if rule.warn_after is not None:
            yield from _duration(f"{where}.warn_after", rule.warn_after)
        yield from _match_problems(plant, rule, where)
        if not rule.steps:
            yield f"{where}.steps", "a chain needs at least one step"
        yield from _step_problems(plant, rule, where)
        yield from _loops(rule, where)


def _match_problems(plant: Plant, rule: ChainRule, where: str) -> Iterator[Problem]:
    match = rule.match
    yield from _need(f"{where}.match.category", match.category, plant.categories_by_id,
                     "category")
    yield from _need(f"{where}.match.area", match.area, plant.areas_by_id, "area")
    types = {e.type for e in plant.equipment}
    if match.equipment_type is not None and match.equipment_type not in types:
        yield (f"{where}.match.equipment_type",
               f"no equipment has the type {match.equipment_type!r}")


def _step_problems(plant: Plant, rule: ChainRule, where: str) -> Iterator[Problem]:
    keys: dict[str, int] = {}
    for j, step in enumerate(rule.steps):
        at = f"{where}.steps[{j}]"
        k = keys.setdefault(step.id, j)
        if k != j:
            yield f"{at}.id", f"duplicate step id {step.id!r} (already used by {where}.steps[{k}])"
        known_department = step.department in plant.departments_by_id
        yield from _need(f"{at}.department", step.department, plant.departments_by_id,
                         "department")
        yield from _team_problems(plant, step, at)
        yield from _duration(f"{at}.window", step.window)
        for n, waited in enumerate(step.after):
            if waited not in {s.id for s in rule.steps}:
                yield f"{at}.after[{n}]", f"unknown step {waited!r} in this chain"
        team_known = step.team in plant.teams_by_id if step.team else step.role != Role.TEAM_LEAD
        if known_department and team_known:
            yield from _holder_problem(plant, step, at)


def _team_problems(plant: Plant, step: ChainStepRule, at: str) -> Iterator[Problem]:
    if step.role is Role.TEAM_LEAD and step.team is None:
        yield f"{at}.team", "a team_lead step names its team (team: …)"
        return
    if step.team is None:
        return
    team = plant.teams_by_id.get(step.team)
    if team is None:
        yield f"{at}.team", f"unknown team {step.team!r}"
    elif team.department != step.department:
        yield (f"{at}.team", f"team {step.team!r} is not in department {step.department!r} "
               f"(it is in {team.department!r})")


def _holder_problem(plant: Plant, step: ChainStepRule, at: str) -> Iterator[Problem]:
    if holder_for(plant, step.department, step.role, step.team) is None:
        yield (f"{at}.role", f"nobody in department {step.department!r} holds the role "
               f"'{step.role}': the step would have no one to answer for it")


def _loops(rule: ChainRule, where: str) -> Iterator[Problem]:
    """Steps that wait for each other would never open: each loop once, at the `after` of
    its first step in the file."""
    index = {s.id: j for j, s in enumerate(rule.steps)}
    waits = {s.id: [a for a in s.after if a in index] for s in rule.steps}
    reported: set[frozenset[str]] = set()
    for step in rule.steps:
        loop = _loop_from(step.id, waits)
        if loop and frozenset(loop) not in reported:
            reported.add(frozenset(loop))
            start = min(loop, key=lambda key: index[key])
            k = loop.index(start)
            names = [*loop[k:], *loop[:k]]
            circle = " → ".join([*names, names[0]])
            yield (f"{where}.steps[{index[start]}].after",
                   f"steps wait for each other in a loop: {circle} (none of them would start)")


def _loop_from(start: str, waits: Mapping[str, list[str]]) -> list[str]:
    """A loop of waiting that `start` is on, in waiting order; empty when there is none."""
    path: list[str] = []

    def walk(key: str) -> list[str]:
        if key in path:
            found = path[path.index(key):]
            return found if start in found else []
        path.append(key)
        for waited in waits.get(key, []):
            loop = walk(waited)
            if loop:
                return loop
        path.pop()
        return []

    return walk(start)


def _need(
    path: str, value: str | None, known: Mapping[str, object], what: str
) -> Iterator[Problem]:
    if value is not None and value not in known:
        yield path, f"unknown {what} {value!r}"


def _duration(path: str, text: str) -> Iterator[Problem]:
    try:
        within = parse_duration(text)
    except ValueError as exc:
        yield path, str(exc)
        return
    if within.total_seconds() <= 0:
        yield path, f"must be longer than zero, got {text!r}"

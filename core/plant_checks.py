"""What is wrong with a well-formed plant: unknown ids, loops, impossible timings, by YAML path."""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterator, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING

from core.chain_checks import chain_problems
from core.durations import parse_duration
from core.geo import GeoPoint, distance_m
from core.plant import Role, Severity
from core.point_settings import point_problems
from core.reminder_settings import reminder_problems
from core.risk_checks import risk_problems
from core.round_checks import round_problems
from core.trend_checks import analytics_problems

if TYPE_CHECKING:
    from core.plant import Person, Plant

Problem = tuple[str, str]
# Loose on purpose: the mail server has the last word; this catches a name or a typo.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def plant_problems(plant: Plant, *, languages: Collection[str] = ()) -> list[Problem]:
    """Every problem of the plant as (path in plant.yaml, what is wrong), section by section."""
    return [
        *_unsupported_languages(plant, languages),
        *_duplicate_ids(plant),
        *_unknown_references(plant),
        *_outside_the_site(plant),
        *_leads_without_the_role(plant),
        *_bad_emails(plant.people),
        *_superior_loops(plant.people),
        *_window_problems(plant),
        *_missing_roles(plant),
        *point_problems(plant.points, plant.shop, admins=len(plant.with_role(Role.ADMIN))),
        *chain_problems(plant),
        *reminder_problems(plant.reminders),
        *risk_problems(plant),
        *round_problems(plant),
        *analytics_problems(plant.trends, plant.health_index),
    ]


def _duplicate_ids(plant: Plant) -> Iterator[Problem]:
    """Each repeat of an id, at the repeat's own entry so the line number leads to it."""
    sections: list[tuple[str, str, list[str]]] = [
        ("departments", "id", [d.id for d in plant.departments]),
        ("teams", "id", [t.id for t in plant.teams]),
        ("people", "id", [p.id for p in plant.people]),
        ("areas", "id", [a.id for a in plant.areas]),
        ("checkpoints", "id", [c.id for c in plant.checkpoints]),
        ("equipment", "code", [e.code for e in plant.equipment]),
        ("categories", "id", [c.id for c in plant.categories]),
    ]
    for section, key, ids in sections:
        first: dict[str, int] = {}
        for i, written in enumerate(ids):
            # workers type equipment codes in any case, so CNC-07 and cnc-07 are one machine
            same = written.upper() if key == "code" else written
            j = first.setdefault(same, i)
            if j == i:
                continue
            earlier = f"{section}[{j}]"
            if ids[j] != written:
                earlier += f" as {ids[j]!r}; case does not matter"
            yield (
                f"{section}[{i}].{key}",
                f"duplicate {key} {written!r} (already used by {earlier})",
            )


def _unsupported_languages(plant: Plant, languages: Collection[str]) -> Iterator[Problem]:
    """Languages without a catalog; none are checked when the caller names none."""
    if not languages:
        return
    if plant.language not in languages:
        yield "language", f"unsupported language {plant.language!r}"
    for i, p in enumerate(plant.people):
        if p.lang is not None and p.lang not in languages:
            yield f"people[{i}].lang", f"unsupported language {p.lang!r}"


def _unknown_references(plant: Plant) -> Iterator[Problem]:
    people, teams, areas = plant.people_by_id, plant.teams_by_id, plant.areas_by_id
    departments, categories = plant.departments_by_id, plant.categories_by_id
    for i, d in enumerate(plant.departments):
        yield from _need(f"departments[{i}].head", d.head, people, "person")
    for i, t in enumerate(plant.teams):
        yield from _need(f"teams[{i}].department", t.department, departments, "department")
        yield from _need(f"teams[{i}].lead", t.lead, people, "person")
    for i, p in enumerate(plant.people):
        yield from _need(f"people[{i}].department", p.department, departments, "department")
        yield from _need(f"people[{i}].team", p.team, teams, "team")
        yield from _need(f"people[{i}].superior", p.superior, people, "person")
    for i, a in enumerate(plant.areas):
        yield from _need(f"areas[{i}].department", a.department, departments, "department")
    for i, c in enumerate(plant.checkpoints):
        yield from _need(f"checkpoints[{i}].area", c.area, areas, "area")
    for i, e in enumerate(plant.equipment):
        yield from _need(f"equipment[{i}].area", e.area, areas, "area")
    yield from _need("routing.default_team", plant.routing.default_team, teams, "team")
    for i, r in enumerate(plant.routing.rules):
        yield from _need(f"routing.rules[{i}].team", r.team, teams, "team")
        yield from _need(f"routing.rules[{i}].category", r.category, categories, "category")
        yield from _need(f"routing.rules[{i}].area", r.area, areas, "area")


def _need(
    path: str, value: str | None, known: Mapping[str, object], what: str
) -> Iterator[Problem]:
    if value is not None and value not in known:
        yield path, f"unknown {what} {value!r}"


def _outside_the_site(plant: Plant) -> Iterator[Problem]:
    centre = GeoPoint(plant.site.lat, plant.site.lon)
    radius = plant.site.radius_m
    for i, c in enumerate(plant.checkpoints):
        away = distance_m(centre, GeoPoint(c.lat, c.lon))
        if away > radius:
            # rounded up, so a checkpoint just outside never reads as exactly on the edge
            yield (
                f"checkpoints[{i}]",
                f"{c.id!r} is {math.ceil(away)} m from the centre of the site, outside its "
                f"radius of {_metres(radius)} m (check lat and lon, or site.radius_m)",
            )


def _metres(value: float) -> str:
    """A length as the file would have it: 1500, 1500.5, never 1.5e+03."""
    return f"{value:.1f}".removesuffix(".0")


def _leads_without_the_role(plant: Plant) -> Iterator[Problem]:
    for i, team in enumerate(plant.teams):
        lead = plant.person(team.lead) if team.lead else None
        if lead is not None and not lead.has(Role.TEAM_LEAD):
            yield (
                f"teams[{i}].lead",
                f"{lead.id!r} does not have the role 'team_lead' (add it to their roles, "
                "or choose another lead)",
            )


def _bad_emails(people: tuple[Person, ...]) -> Iterator[Problem]:
    """Warning mail goes to `email`: an address that cannot be one is better caught here."""
    for i, person in enumerate(people):
        if person.email and not _EMAIL.fullmatch(person.email):
            yield (f"people[{i}].email",
                   f"not an e-mail address: {person.email!r} (write name@domain)")


def _superior_loops(people: tuple[Person, ...]) -> Iterator[Problem]:
    """Each loop once, at the superior of its first member in the file: escalation would spin."""
    first: dict[str, int] = {}
    for i, person in enumerate(people):
        first.setdefault(person.id, i)
    done: set[str] = set()
    for person in people:
        chain: list[str] = []
        at: str | None = person.id
        while at is not None and at in first and at not in done and at not in chain:
            chain.append(at)
            at = people[first[at]].superior
        if at is not None and at in chain:
            yield _loop_problem(chain[chain.index(at) :], first)
        done.update(chain)


def _loop_problem(loop: list[str], first: Mapping[str, int]) -> Problem:
    """The loop named from its member first in the file, reported at that member's superior."""
    k = min(range(len(loop)), key=lambda n: first[loop[n]])
    names = [*loop[k:], *loop[:k]]
    path = f"people[{first[names[0]]}].superior"
    if len(names) == 1:
        return path, f"{names[0]!r} cannot be their own superior"
    circle = " → ".join([*names, names[0]])
    return path, (
        f"superiors go round in a loop: {circle} (one of them needs another superior, or none)"
    )


def _window_problems(plant: Plant) -> Iterator[Problem]:
    for severity, window in plant.sla.items():
        unusable = [
            *_window(f"sla.{severity}.acknowledge", window.acknowledge),
            *_window(f"sla.{severity}.resolve", window.resolve),
        ]
        yield from unusable
        resolve = window.resolve_within if not unusable else None
        if resolve is not None and window.acknowledge_within > resolve:
            yield (
                f"sla.{severity}.acknowledge",
                f"{window.acknowledge} is longer than resolve ({window.resolve}): the team "
                "would have longer to accept a ticket than to fix it",
            )
    for i, level in enumerate(plant.escalation):
        yield from _window(f"escalation[{i}].window", level.window)
    for severity in Severity:
        if severity not in plant.sla:
            yield "sla", f"no window for severity '{severity}'"


def _window(path: str, text: str | None) -> Iterator[Problem]:
    if not text:
        return  # no window: the rung or the severity has no deadline of this kind
    try:
        within = parse_duration(text)
    except ValueError as exc:
        yield path, str(exc)
        return
    if within <= timedelta(0):
        yield path, f"must be longer than zero, got {text!r}"


def _missing_roles(plant: Plant) -> Iterator[Problem]:
    for role in (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER):
        if not plant.with_role(role):
            yield "people", f"nobody has the role '{role}'"
    for i, level in enumerate(plant.escalation):
        if level.role not in (Role.DEPARTMENT_HEAD, Role.SAFETY_MANAGER, Role.PLANT_MANAGER,
                              Role.ADMIN):
            yield f"escalation[{i}].role", f"cannot escalate to '{level.role}'"

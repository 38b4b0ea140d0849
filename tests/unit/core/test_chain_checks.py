"""`config check` on plant.yaml's chains: what would leave a chain stuck is caught by path."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.plant import ChainMatch, ChainRule, Chains, ChainStepRule, Role
from tests.unit.core.fakes import make_plant
from tests.unit.core.test_chains import CABINET, PLANT

ASSESS, REPAIR, RESCHEDULE = CABINET.steps


def problems(*rules: ChainRule, warn_after: str = "1h") -> list[tuple[str, str]]:
    plant = replace(PLANT, chains=Chains(warn_after=warn_after, rules=rules))
    return [p for p in plant.problems() if p[0].startswith("chains")]


def with_steps(*steps: ChainStepRule) -> ChainRule:
    return replace(CABINET, steps=steps)


def test_the_example_chain_is_fine() -> None:
    assert problems(CABINET) == []
    assert make_plant().problems() == []  # no chains at all is fine too


@pytest.mark.parametrize(("step", "path", "message"), [
    (replace(ASSESS, department="QA"), "chains.rules[0].steps[0].department",
     "unknown department 'QA'"),
    (replace(REPAIR, team="PAINT"), "chains.rules[0].steps[1].team", "unknown team 'PAINT'"),
    (replace(REPAIR, team=None), "chains.rules[0].steps[1].team",
     "a team_lead step names its team (team: …)"),
    (replace(ASSESS, role=Role.LEGAL_REVIEWER), "chains.rules[0].steps[0].role",
     "nobody in department 'SAFETY' holds the role 'legal_reviewer': the step would have "
     "no one to answer for it"),
    (replace(ASSESS, window="soon"), "chains.rules[0].steps[0].window",
     "not a duration: 'soon' (write e.g. 30m, 4h, 1d12h)"),
    (replace(REPAIR, after=("asess",)), "chains.rules[0].steps[1].after[0]",
     "unknown step 'asess' in this chain"),
])
def test_a_step_that_names_what_does_not_exist_is_caught(
    step: ChainStepRule, path: str, message: str,
) -> None:
    steps = [s if s.id != step.id else step for s in CABINET.steps]
    assert problems(with_steps(*steps)) == [(path, message)]


def test_a_team_outside_the_steps_department_is_caught() -> None:
    step = replace(ASSESS, role=Role.TEAM_LEAD, team="ELEC")
    assert problems(with_steps(step, RESCHEDULE)) == [(
        "chains.rules[0].steps[0].team",
        "team 'ELEC' is not in department 'SAFETY' (it is in 'EQUIP')",
    )]


def test_a_duplicate_step_id_is_caught_at_the_repeat() -> None:
    assert problems(with_steps(ASSESS, REPAIR, replace(RESCHEDULE, id="assess"))) == [(
        "chains.rules[0].steps[2].id",
        "duplicate step id 'assess' (already used by chains.rules[0].steps[0])",
    )]


def test_steps_waiting_for_each_other_are_caught_once() -> None:
    rule = with_steps(replace(ASSESS, after=("reschedule",)), REPAIR,
                      replace(RESCHEDULE, after=("repair",)))
    assert problems(rule) == [(
        "chains.rules[0].steps[0].after",
        "steps wait for each other in a loop: assess → reschedule → repair → assess "
        "(none of them would start)",
    )]


def test_a_step_waiting_for_itself_is_a_loop() -> None:
    rule = with_steps(ASSESS, replace(REPAIR, after=("repair",)))
    assert problems(rule) == [(
        "chains.rules[0].steps[1].after",
        "steps wait for each other in a loop: repair → repair (none of them would start)",
    )]


def test_matches_on_unknown_categories_and_types_and_bad_graces_are_caught() -> None:
    rule = replace(CABINET, match=ChainMatch(category="gas", equipment_type="boiler"),
                   warn_after="0m")
    assert problems(rule, rule, warn_after="later") == [
        ("chains.warn_after", "not a duration: 'later' (write e.g. 30m, 4h, 1d12h)"),
        ("chains.rules[0].warn_after", "must be longer than zero, got '0m'"),
        ("chains.rules[0].match.category", "unknown category 'gas'"),
        ("chains.rules[0].match.equipment_type", "no equipment has the type 'boiler'"),
        ("chains.rules[1].id", "duplicate id 'cabinet' (already used by chains.rules[0])"),
        ("chains.rules[1].warn_after", "must be longer than zero, got '0m'"),
        ("chains.rules[1].match.category", "unknown category 'gas'"),
        ("chains.rules[1].match.equipment_type", "no equipment has the type 'boiler'"),
    ]


def test_a_chain_without_steps_is_caught() -> None:
    assert problems(with_steps()) == [
        ("chains.rules[0].steps", "a chain needs at least one step")]

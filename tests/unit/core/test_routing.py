"""Routing: declarative rules, first match wins, a default team catches the rest."""

from __future__ import annotations

from core.plant import Routing, RoutingRule
from core.routing import route
from tests.unit.core.fakes import make_plant

PLANT = make_plant()


def test_a_rule_on_the_category_sends_the_report_to_its_team() -> None:
    assert route(PLANT, category="electrical", area="MACH", equipment=None) == "ELEC"


def test_a_report_no_rule_matches_goes_to_the_default_team() -> None:
    plant = make_plant(routing=Routing(default_team="ELEC", rules=PLANT.routing.rules))
    assert route(plant, category="housekeeping", area="MACH", equipment=None) == "ELEC"


def test_the_first_matching_rule_wins_over_later_ones() -> None:
    plant = make_plant(routing=Routing(default_team="MECH", rules=(
        RoutingRule(team="MECH", area="PAINT"),
        RoutingRule(team="ELEC", category="electrical"),
    )))
    assert route(plant, category="electrical", area="PAINT", equipment=None) == "MECH"
    assert route(plant, category="electrical", area="MACH", equipment=None) == "ELEC"


def test_the_equipment_type_is_looked_up_from_the_equipment_code_in_any_case() -> None:
    assert route(PLANT, category="housekeeping", area="PAINT", equipment="pdg-03") == "ELEC"
    assert route(PLANT, category="housekeeping", area="PAINT", equipment="PDG-03") == "ELEC"


def test_unknown_equipment_matches_no_equipment_rule() -> None:
    assert route(PLANT, category="housekeeping", area="PAINT", equipment="XYZ-1") == "MECH"


def test_a_rule_matches_only_when_every_field_it_names_matches() -> None:
    plant = make_plant(routing=Routing(default_team="MECH", rules=(
        RoutingRule(team="ELEC", category="mechanical", area="PAINT", equipment_type="cnc"),
    )))
    assert route(plant, category="mechanical", area="PAINT", equipment="CNC-07") == "ELEC"
    assert route(plant, category="mechanical", area="MACH", equipment="CNC-07") == "MECH"
    assert route(plant, category="mechanical", area="PAINT", equipment=None) == "MECH"


def test_a_plant_without_rules_sends_everything_to_the_default_team() -> None:
    plant = make_plant(routing=Routing(default_team="ELEC"))
    assert route(plant, category="mechanical", area="MACH", equipment="CNC-07") == "ELEC"

"""The plant's logic checks: mistakes that are valid YAML but would make the loop misbehave."""

from __future__ import annotations

from dataclasses import replace

from core.plant import Checkpoint, EscalationLevel, Person, Role, Severity, SlaWindow, Team
from core.point_settings import Bonuses
from tests.unit.core.test_plant import plant

# --- checkpoints and the site


def test_a_checkpoint_outside_the_site_radius_is_reported_with_both_distances() -> None:
    edge = Checkpoint(id="CP-EDGE", area="MACH", lat=31.3359, lon=120.719)  # ~1990 m north
    far = Checkpoint(id="CP-FAR", area="MACH", lat=31.338, lon=120.719)  # ~2.2 km north
    assert plant(checkpoints=(edge, far)).problems() == [
        (
            "checkpoints[1]",
            "'CP-FAR' is 2224 m from the centre of the site, outside its radius of 2000 m "
            "(check lat and lon, or site.radius_m)",
        )
    ]


# --- people and teams


def test_a_team_lead_without_the_team_lead_role_is_reported() -> None:
    p = plant()
    worker = Person(id="W01", name="马晓东", roles=(Role.WORKER,), superior="SM")
    lead = Person(id="TL", name="周杰", roles=(Role.WORKER, Role.TEAM_LEAD), superior="SM")
    teams = (replace(p.teams[0], lead="W01"), Team(id="ELEC", name="电工班", lead="TL"))
    assert plant(teams=teams, people=(*p.people, worker, lead)).problems() == [
        (
            "teams[0].lead",
            "'W01' does not have the role 'team_lead' (add it to their roles, or choose "
            "another lead)",
        )
    ]


def test_a_loop_of_superiors_is_reported_once_naming_everyone_in_it() -> None:
    p = plant()
    people = (replace(p.people[0], superior="SO1"), p.people[1])
    assert plant(people=people).problems() == [
        (
            "people[0].superior",
            "superiors go round in a loop: SM → SO1 → SM (one of them needs another "
            "superior, or none)",
        )
    ]


def test_a_longer_loop_is_named_from_its_first_member_in_the_file() -> None:
    p = plant()
    people = (
        p.people[0],
        Person(id="A", name="甲", superior="B"),
        Person(id="B", name="乙", superior="C"),
        Person(id="C", name="丙", superior="A"),
        Person(id="D", name="丁", superior="C"),  # hangs off the loop but is not in it
        p.people[1],
    )
    assert plant(people=people).problems() == [
        (
            "people[1].superior",
            "superiors go round in a loop: A → B → C → A (one of them needs another "
            "superior, or none)",
        )
    ]


def test_each_separate_loop_of_superiors_is_reported() -> None:
    p = plant()
    people = (
        *p.people,
        Person(id="A", name="甲", superior="B"),
        Person(id="B", name="乙", superior="A"),
        Person(id="C", name="丙", superior="C"),
    )
    assert [path for path, _ in plant(people=people).problems()] == [
        "people[2].superior",
        "people[4].superior",
    ]


def test_a_person_who_is_their_own_superior_is_reported() -> None:
    p = plant()
    people = (p.people[0], replace(p.people[1], superior="SO1"))
    assert plant(people=people).problems() == [
        ("people[1].superior", "'SO1' cannot be their own superior")
    ]


def test_an_email_that_is_no_address_is_reported_and_a_real_one_passes() -> None:
    p = plant()
    people = (replace(p.people[0], email="wang.jianguo@example.com"),
              replace(p.people[1], email="li.na at example.com"))
    assert plant(people=people).problems() == [
        ("people[1].email", "not an e-mail address: 'li.na at example.com' (write name@domain)")
    ]


# --- points and windows


def test_negative_points_are_reported_and_zero_points_are_allowed() -> None:
    points = replace(plant().points, general=-5, serious=0,
                     bonus=Bonuses(major_hazard=-1, first_of_recurring=0))
    assert plant(points=points).problems() == [
        ("points.general", "cannot be negative, got -5"),
        ("points.bonus.major_hazard", "cannot be negative, got -1"),
    ]


def test_a_zero_window_is_reported_wherever_it_is() -> None:
    sla = {
        **plant().sla,
        Severity.GENERAL: SlaWindow(acknowledge="0m", resolve="7d"),
        Severity.SERIOUS: SlaWindow(acknowledge="4h", resolve="0h"),
    }
    ladder = (EscalationLevel(Role.DEPARTMENT_HEAD, "0m"), EscalationLevel(Role.SAFETY_MANAGER))
    assert plant(sla=sla, escalation=ladder).problems() == [
        ("sla.general.acknowledge", "must be longer than zero, got '0m'"),
        ("sla.serious.resolve", "must be longer than zero, got '0h'"),
        ("escalation[0].window", "must be longer than zero, got '0m'"),
    ]


def test_an_acknowledge_window_longer_than_its_resolve_window_is_reported() -> None:
    sla = {
        **plant().sla,
        Severity.SERIOUS: SlaWindow(acknowledge="4h", resolve="240m"),  # equal is fine
        Severity.CRITICAL: SlaWindow(acknowledge="2h", resolve="1h"),
    }
    assert plant(sla=sla).problems() == [
        (
            "sla.critical.acknowledge",
            "2h is longer than resolve (1h): the team would have longer to accept a ticket "
            "than to fix it",
        )
    ]


# --- duplicates


def test_a_duplicate_id_is_reported_at_each_repeat_naming_the_first() -> None:
    p = plant()
    twice = (*p.people, replace(p.people[1], name="另一个李娜"), p.people[1])
    assert plant(people=twice).problems() == [
        ("people[2].id", "duplicate id 'SO1' (already used by people[1])"),
        ("people[3].id", "duplicate id 'SO1' (already used by people[1])"),
    ]


def test_a_duplicate_team_id_points_at_the_repeat() -> None:
    again = Team(id="MECH", name="另一个机修班", department="SAFETY")
    assert plant(teams=(*plant().teams, again)).problems() == [
        ("teams[1].id", "duplicate id 'MECH' (already used by teams[0])")
    ]

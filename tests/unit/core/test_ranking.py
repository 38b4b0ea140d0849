"""Rankings: places with ties, teams and departments from plant.yaml, the month in plant time,
and the buttons that switch between them."""

from __future__ import annotations

from datetime import UTC, datetime

from core.buttons import RankButton, ViewButton, decode, encode
from core.ledger import EntryKind
from core.plant import Department, Person, Plant, Role, Routing, RoutingRule, Site, Team
from core.ranking import EARNED, Board, Period, Standing, rank, since, standings, unit_of


def plant() -> Plant:
    return Plant(
        name="测试工厂",
        site=Site(lat=31.318, lon=120.719),
        routing=Routing(default_team="MECH", rules=(RoutingRule(team="MECH", category="mech"),)),
        departments=(Department(id="EQUIP", name="设备部"), Department(id="PROD", name="生产部")),
        teams=(Team(id="MECH", name="机修班", department="EQUIP", lead="TL"),
               Team(id="ELEC", name="电工班", department="EQUIP")),
        people=(
            # The lead's own entry names no team: leading one is enough to belong to it.
            Person(id="TL", name="周杰", roles=(Role.TEAM_LEAD,), department="EQUIP"),
            Person(id="M1", name="冯建军", department="EQUIP", team="MECH"),
            Person(id="E1", name="吴海峰", department="EQUIP", team="ELEC"),
            Person(id="W1", name="马晓东", department="PROD"),
            Person(id="W2", name="林嘉欣", department="PROD"),
        ),
    )


def test_equal_points_share_a_place_and_the_next_place_skips() -> None:
    placed = standings({"a": 5, "b": 9, "c": 5, "d": 1, "e": 0, "f": -3})
    assert placed == (Standing(1, "b", 9), Standing(2, "a", 5), Standing(2, "c", 5),
                      Standing(4, "d", 1))


def test_teams_and_departments_add_up_their_people_and_leave_out_the_unplaced() -> None:
    earned = [("TL", 5), ("M1", 10), ("E1", 20), ("W1", 7), ("W2", 3), ("GONE", 50)]
    teams = rank(plant(), earned, Board.TEAMS, Period.ALL)
    assert teams.standings == (Standing(1, "ELEC", 20), Standing(2, "MECH", 15))
    departments = rank(plant(), earned, Board.DEPARTMENTS, Period.ALL)
    assert departments.standings == (Standing(1, "EQUIP", 35), Standing(2, "PROD", 10))
    people = rank(plant(), earned, Board.PEOPLE, Period.ALL)
    # someone no longer in plant.yaml keeps their place among people
    assert people.top(2) == (Standing(1, "GONE", 50), Standing(2, "E1", 20))
    assert people.of("W2") == Standing(6, "W2", 3)


def test_a_person_counts_under_their_team_the_team_they_lead_or_none() -> None:
    assert unit_of(plant(), "M1", Board.TEAMS) == "MECH"
    assert unit_of(plant(), "TL", Board.TEAMS) == "MECH"
    assert unit_of(plant(), "W1", Board.TEAMS) is None
    assert unit_of(plant(), "W1", Board.DEPARTMENTS) == "PROD"
    assert unit_of(plant(), "GONE", Board.DEPARTMENTS) is None


def test_this_month_starts_at_midnight_on_the_first_in_the_plants_zone() -> None:
    # 07:30 on 1 December in Suzhou is still 30 November in UTC
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    start = since(Period.MONTH, now, "Asia/Shanghai")
    assert start is not None and start.astimezone(UTC) == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert since(Period.ALL, now, "Asia/Shanghai") is None


def test_spending_in_the_shop_is_not_what_a_ranking_counts() -> None:
    assert EntryKind.REDEEM not in EARNED and EntryKind.REFUND not in EARNED
    assert {EntryKind.AWARD, EntryKind.REVOKE} <= set(EARNED)


def test_ranking_and_view_buttons_read_back_and_forgeries_do_not() -> None:
    for payload in (RankButton(Board.TEAMS, Period.ALL), ViewButton("HZ-261130-0001")):
        assert decode(encode(payload)) == payload
    assert encode(RankButton(Board.DEPARTMENTS, Period.MONTH)) == "rk:departments:month"
    for forged in ("rk:teams", "rk:bosses:all", "rk:people:year", "v:", "v:HZ 1", "v:a:b"):
        assert decode(forged) is None, forged

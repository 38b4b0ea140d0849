"""Who may move a ticket, from which state, to which state: the whole table, case by case."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.clock import SimClock
from core.plant import Severity
from core.services import ActionRefused, ActOnTicket, act_on_ticket, check_allowed
from core.tickets import Action, Status, Ticket, Validity, may_view, ticket_code
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

PLANT = make_plant()

# Written out by hand from the design, not derived from TRANSITIONS, so that a change
# to the rules has to be made in both places on purpose.
WORKERS = {"TL-MECH", "DH-EQUIP", "ADMIN"}  # lead of the ticket's team, heads, admins
VALIDATORS = {"SO1", "SM"}
EVERYONE = ("W1", "W2", "TL-MECH", "TL-ELEC", "DH-EQUIP", "ADMIN", "SO1", "SM")
ALL = set(Status)
RULES: dict[Action, tuple[set[Status], set[str], Status | None]] = {
    Action.ACCEPT: ({Status.REPORTED}, WORKERS, Status.ACKNOWLEDGED),
    Action.START: ({Status.ACKNOWLEDGED}, WORKERS, Status.IN_PROGRESS),
    Action.DONE: ({Status.IN_PROGRESS}, WORKERS, Status.RESOLVED),
    Action.REJECT: (
        {Status.REPORTED, Status.ACKNOWLEDGED}, WORKERS | VALIDATORS, Status.REJECTED
    ),
    Action.REASSIGN: (
        {Status.REPORTED, Status.ACKNOWLEDGED}, WORKERS | VALIDATORS, Status.REPORTED
    ),
    Action.CLOSE: ({Status.RESOLVED}, VALIDATORS, Status.CLOSED),
    Action.REOPEN: ({Status.RESOLVED}, VALIDATORS, Status.IN_PROGRESS),
    Action.VALID: (ALL, VALIDATORS, None),
    Action.DUPLICATE: (ALL - {Status.CLOSED}, VALIDATORS, Status.REJECTED),
    Action.INVALID: (ALL - {Status.CLOSED}, VALIDATORS, Status.REJECTED),
    Action.UPHOLD: ({Status.REJECTED}, VALIDATORS, None),
    Action.OVERRULE: ({Status.REJECTED}, VALIDATORS, Status.REPORTED),
    # The safety manager alone grades a major hazard, while the work is open.
    Action.MAJOR: ({Status.REPORTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS}, {"SM"}, None),
    # The reporter's own word on a fix (W1 reports every ticket here), and nobody else's.
    Action.FIXED: ({Status.RESOLVED, Status.CLOSED}, {"W1"}, None),
    Action.NOT_FIXED: ({Status.RESOLVED}, {"W1"}, Status.IN_PROGRESS),
}
# Refusals that say more than "wrong state", so the reporter knows what to do instead.
SAID_OUTRIGHT = {
    (Action.NOT_FIXED, Status.CLOSED): "closed_report_again",
    (Action.NOT_FIXED, Status.IN_PROGRESS): "being_fixed",
}
# A report judged valid never stays rejected: it goes back to its team.
VALID_FROM_REJECTED = Status.REPORTED

# What each action needs besides its button, so that allowed cases really go through.
EXTRAS: dict[Action, dict[str, str]] = {
    Action.DONE: {"after_photo": "b" * 64},
    Action.REJECT: {"reason": "不属于隐患"},
    Action.INVALID: {"reason": "照片与描述不符"},
    Action.REASSIGN: {"team": "ELEC"},
    Action.DUPLICATE: {"duplicate_of": "HZ-261128-0001"},
    Action.OVERRULE: {"reason": "确属隐患，请处理"},
    Action.NOT_FIXED: {"reason": "还在漏油"},
}


def expected(action: Action, status: Status, actor: str) -> str:
    sources, actors, _ = RULES[action]
    if actor not in actors:
        return "not_allowed"
    return "ok" if status in sources else SAID_OUTRIGHT.get((action, status), "wrong_state")


CASES = [
    pytest.param(action, status, actor, expected(action, status, actor),
                 id=f"{action}-{status}-{actor}")
    for action in Action for status in Status for actor in EVERYONE
]


def ticket_in(status: Status, **changes: object) -> Ticket:
    base = Ticket(
        code="HZ-261128-0002", reporter="W1", area="MACH", category="mechanical",
        severity=Severity.GENERAL, urgency=Severity.GENERAL, description="油污",
        team="MECH", created_at=T0, status=status,
    )
    return replace(base, **changes)


def test_the_table_covers_every_action() -> None:
    assert set(RULES) == set(Action)


@pytest.mark.parametrize(("action", "status", "actor", "outcome"), CASES)
def test_each_role_may_do_exactly_what_the_table_says_from_each_state(
    action: Action, status: Status, actor: str, outcome: str
) -> None:
    ticket = ticket_in(status)
    if outcome == "ok":
        check_allowed(PLANT, actor, action, ticket)
    else:
        with pytest.raises(ActionRefused) as refused:
            check_allowed(PLANT, actor, action, ticket)
        assert refused.value.reason == outcome


ALLOWED = [
    pytest.param(action, status, actor, id=f"{action}-{status}-{actor}")
    for action, (sources, actors, _) in RULES.items()
    for status in sorted(sources)
    for actor in sorted(actors)
]


@pytest.mark.parametrize(("action", "status", "actor"), ALLOWED)
def test_an_allowed_action_moves_the_ticket_to_its_target_state(
    action: Action, status: Status, actor: str
) -> None:
    uow, clock = FakeUnitOfWork(), SimClock(T0)
    original = ticket_in(Status.REPORTED, code="HZ-261128-0001")
    uow.tickets.add(original)
    uow.tickets.add(ticket_in(status))
    act_on_ticket(
        ActOnTicket(code="HZ-261128-0002", action=action, actor=actor, **EXTRAS.get(action, {})),
        uow=uow, plant=PLANT, clock=clock,
    )
    after = uow.tickets.get("HZ-261128-0002")
    assert after is not None
    if action is Action.VALID and status is Status.REJECTED:
        assert after.status is VALID_FROM_REJECTED
    else:
        assert after.status is (RULES[action][2] or status)


def test_the_lead_of_another_team_is_refused_even_with_the_team_lead_role() -> None:
    with pytest.raises(ActionRefused) as refused:
        check_allowed(PLANT, "TL-ELEC", Action.ACCEPT, ticket_in(Status.REPORTED))
    assert refused.value.reason == "not_allowed"


def test_the_lead_of_the_ticket_team_may_accept_without_any_special_role() -> None:
    plant = make_plant(people=tuple(
        replace(p, roles=()) if p.id == "TL-MECH" else p for p in PLANT.people
    ))
    check_allowed(plant, "TL-MECH", Action.ACCEPT, ticket_in(Status.REPORTED))


def test_someone_who_is_not_in_the_plant_is_refused() -> None:
    with pytest.raises(ActionRefused) as refused:
        check_allowed(PLANT, "STRANGER", Action.VALID, ticket_in(Status.REPORTED))
    assert refused.value.reason == "not_allowed"


@pytest.mark.parametrize("action", [Action.VALID, Action.DUPLICATE, Action.INVALID])
def test_a_ticket_cannot_be_judged_the_same_way_twice(action: Action) -> None:
    ticket = ticket_in(Status.REPORTED, validity=Validity(action.value))
    with pytest.raises(ActionRefused) as refused:
        check_allowed(PLANT, "SO1", action, ticket)
    assert refused.value.reason == "wrong_state"


@pytest.mark.parametrize("status", [Status.REPORTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS])
def test_a_ticket_is_open_until_it_is_resolved_closed_or_rejected(status: Status) -> None:
    assert ticket_in(status).is_open


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED, Status.REJECTED])
def test_resolved_closed_and_rejected_tickets_are_not_open(status: Status) -> None:
    assert not ticket_in(status).is_open


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("W2", True),  # the reporter
        ("TL-ELEC", True),  # lead of the assigned team
        ("DH-EQUIP", True),
        ("SO1", True),
        ("SM", True),
        ("ADMIN", True),
        ("W1", False),  # a worker of another team
        ("TL-MECH", False),  # the lead of another team
    ],
)
def test_only_the_reporter_the_team_and_supervisors_may_view_a_ticket(
    viewer: str, sees: bool
) -> None:
    person = PLANT.person(viewer)
    assert person is not None
    assert may_view(PLANT, person, ticket_in(Status.REPORTED, reporter="W2", team="ELEC")) is sees


def test_a_member_of_the_assigned_team_may_view_a_ticket_someone_else_reported() -> None:
    member = PLANT.person("W1")
    assert member is not None
    assert may_view(PLANT, member, ticket_in(Status.REPORTED, reporter="W2"))


def test_a_ticket_code_carries_the_day_and_a_four_digit_running_number() -> None:
    assert ticket_code("261128", 42) == "HZ-261128-0042"
    assert ticket_code("261128", 1) == "HZ-261128-0001"


def test_a_report_is_stored_with_the_code_the_reporter_is_told() -> None:
    uow = FakeUnitOfWork()
    ticket = report(uow, PLANT, SimClock(T0))
    assert ticket.code == "HZ-261128-0001"
    assert ticket.status is Status.REPORTED
    assert ticket.validity is Validity.PENDING

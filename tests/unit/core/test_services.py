"""The ticket use cases: opening a report, acting on it, and what they refuse."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import get_type_hints

import pytest

from core.audit import first_bad_entry
from core.clock import SimClock
from core.events import (
    TicketAccepted,
    TicketJudged,
    TicketOpened,
    TicketReassigned,
    TicketRejected,
)
from core.geo import GeoPoint
from core.plant import Severity
from core.ports import UnitOfWork
from core.services import ActionRefused, ActOnTicket, OpenTicket, act_on_ticket, open_ticket
from core.tickets import Action, Status, Ticket
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

PLANT = make_plant()
PHOTO = "b" * 64


def act(
    uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, actor: str, **extra: str
) -> list[object]:
    return list(act_on_ticket(
        ActOnTicket(code=code, action=action, actor=actor, **extra),
        uow=uow, plant=PLANT, clock=clock,
    ))


def stored(uow: FakeUnitOfWork, code: str) -> Ticket:
    ticket = uow.tickets.get(code)
    assert ticket is not None
    return ticket


def refusal(
    uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, actor: str, **extra: str
) -> str:
    with pytest.raises(ActionRefused) as refused:
        act(uow, clock, code, action, actor, **extra)
    return refused.value.reason


# --- opening


def test_a_report_is_routed_timed_and_recorded(uow: FakeUnitOfWork, clock: SimClock) -> None:
    spot = GeoPoint(31.3181, 120.7192, 8.0)
    events = open_ticket(
        OpenTicket(
            reporter="W1", area="PAINT", category="housekeeping", urgency=Severity.SERIOUS,
            description="配电柜门未关", photos=("a" * 64, "c" * 64), equipment="pdg-03",
            location=spot, location_source="gps",
        ),
        uow=uow, plant=PLANT, clock=clock,
    )
    assert events == [TicketOpened(code="HZ-261128-0001", actor="W1")]
    ticket = stored(uow, "HZ-261128-0001")
    assert ticket.team == "ELEC"  # the cabinet's equipment type decides
    assert ticket.severity is Severity.SERIOUS
    assert ticket.created_at == T0
    assert ticket.due_at == T0 + timedelta(hours=4)
    assert ticket.location == spot
    assert ticket.location_source == "gps"
    assert ticket.photos == ["a" * 64, "c" * 64]
    [entry] = list(uow.audit.entries())
    assert (entry.actor, entry.action, entry.subject) == ("W1", "TicketOpened", "HZ-261128-0001")
    assert entry.data == {"team": "ELEC", "severity": "serious"}


def test_opening_a_ticket_does_not_commit_for_the_caller(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    with uow:
        report(uow, PLANT, clock)
    assert not uow.committed
    assert uow.tickets.get("HZ-261128-0001") is None


def test_a_committed_report_survives_the_end_of_the_unit_of_work(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    with uow:
        report(uow, PLANT, clock)
        uow.commit()
    assert uow.committed
    assert uow.tickets.get("HZ-261128-0001") is not None


def test_reports_are_numbered_one_after_another_within_a_day(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    codes = [report(uow, PLANT, clock).code for _ in range(3)]
    assert codes == ["HZ-261128-0001", "HZ-261128-0002", "HZ-261128-0003"]


def test_numbering_starts_again_at_one_on_the_next_plant_local_day(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    report(uow, PLANT, clock)
    clock.set(datetime(2026, 11, 28, 16, 0, tzinfo=UTC))  # midnight in Suzhou
    assert report(uow, PLANT, clock).code == "HZ-261129-0001"


def test_a_report_at_23_30_utc_belongs_to_the_next_day_in_shanghai(uow: FakeUnitOfWork) -> None:
    late = SimClock(datetime(2026, 11, 28, 23, 30, tzinfo=UTC))
    assert report(uow, PLANT, late).code == "HZ-261129-0001"


def test_the_same_instant_keeps_its_utc_date_in_a_plant_that_runs_on_utc(
    uow: FakeUnitOfWork,
) -> None:
    late = SimClock(datetime(2026, 11, 28, 23, 30, tzinfo=UTC))
    assert report(uow, make_plant(timezone="UTC"), late).code == "HZ-261128-0001"


# --- acting


def test_accepting_stamps_the_time_and_tells_who_did_it(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(timedelta(minutes=20))
    events = act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    assert events == [
        TicketAccepted(code, Action.ACCEPT, "TL-MECH", previous_status=Status.REPORTED)
    ]
    ticket = stored(uow, code)
    assert ticket.status is Status.ACKNOWLEDGED
    assert ticket.acknowledged_at == clock.now()
    assert [e.action for e in uow.audit.entries()] == ["TicketOpened", "TicketActed"]
    assert list(uow.audit.entries())[-1].data == {
        "action": "accept", "previous_status": "reported", "status": "acknowledged"}


def test_pressing_accept_twice_is_refused_and_changes_nothing(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    before, audit_before = stored(uow, code), list(uow.audit.entries())
    clock.advance(timedelta(minutes=1))
    assert refusal(uow, clock, code, Action.ACCEPT, "TL-MECH") == "wrong_state"
    assert stored(uow, code) == before
    assert list(uow.audit.entries()) == audit_before


def test_an_unknown_ticket_is_refused(uow: FakeUnitOfWork, clock: SimClock) -> None:
    assert refusal(uow, clock, "HZ-261128-9999", Action.ACCEPT, "TL-MECH") == "unknown_ticket"


def test_a_ticket_code_is_found_whatever_its_case_and_spacing(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    act(uow, clock, " hz-261128-0001 ", Action.ACCEPT, "TL-MECH")
    assert stored(uow, "HZ-261128-0001").status is Status.ACKNOWLEDGED


def test_done_without_an_after_photo_is_refused(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    act(uow, clock, code, Action.START, "TL-MECH")
    assert refusal(uow, clock, code, Action.DONE, "TL-MECH") == "after_photo_required"
    assert stored(uow, code).status is Status.IN_PROGRESS


def test_done_with_an_after_photo_resolves_and_keeps_the_photo(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    act(uow, clock, code, Action.START, "TL-MECH")
    clock.advance(timedelta(hours=2))
    act(uow, clock, code, Action.DONE, "TL-MECH", after_photo=PHOTO)
    ticket = stored(uow, code)
    assert (ticket.status, ticket.after_photo, ticket.resolved_at) == (
        Status.RESOLVED, PHOTO, clock.now()
    )
    assert ticket.due_at is None


@pytest.mark.parametrize("reason", ["", "   "])
@pytest.mark.parametrize(("action", "actor"), [(Action.REJECT, "TL-MECH"), (Action.INVALID, "SO1")])
def test_rejecting_or_invalidating_without_a_reason_is_refused(
    uow: FakeUnitOfWork, clock: SimClock, action: Action, actor: str, reason: str
) -> None:
    code = report(uow, PLANT, clock).code
    assert refusal(uow, clock, code, action, actor, reason=reason) == "reason_required"
    assert stored(uow, code).status is Status.REPORTED


def test_a_rejection_keeps_its_reason_and_stops_the_clock(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    events = act(uow, clock, code, Action.REJECT, "TL-MECH", reason="  非本班组设备 ")
    assert events == [
        TicketRejected(code, Action.REJECT, "TL-MECH", "  非本班组设备 ", None, Status.REPORTED)
    ]
    ticket = stored(uow, code)
    assert (ticket.status, ticket.reason, ticket.rejected_at) == (
        Status.REJECTED, "非本班组设备", T0
    )
    assert ticket.due_at is None


@pytest.mark.parametrize("team", ["MECH", "NOPE", ""])
def test_reassigning_to_the_same_or_an_unknown_team_is_refused(
    uow: FakeUnitOfWork, clock: SimClock, team: str
) -> None:
    code = report(uow, PLANT, clock).code
    assert refusal(uow, clock, code, Action.REASSIGN, "TL-MECH", team=team) == "bad_team"
    assert stored(uow, code).team == "MECH"


def test_reassigning_hands_the_ticket_over_with_a_fresh_acknowledge_clock(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    clock.advance(timedelta(hours=3))
    events = act(uow, clock, code, Action.REASSIGN, "TL-MECH", team="ELEC")
    assert events == [
        TicketReassigned(code, Action.REASSIGN, "TL-MECH", None, "MECH", Status.ACKNOWLEDGED)
    ]
    ticket = stored(uow, code)
    assert (ticket.team, ticket.status, ticket.escalation_level) == ("ELEC", Status.REPORTED, 0)
    assert ticket.due_at == clock.now() + timedelta(hours=24)
    # The old lead has no say any more; the new one does.
    assert refusal(uow, clock, code, Action.ACCEPT, "TL-MECH") == "not_allowed"
    act(uow, clock, code, Action.ACCEPT, "TL-ELEC")


@pytest.mark.parametrize(("original", "reason"), [
    ("HZ-261128-0002", "duplicate_of_itself"), ("hz-261128-0002 ", "duplicate_of_itself"),
    ("HZ-261128-0404", "bad_duplicate"), ("", "bad_duplicate"),
])
def test_a_duplicate_of_itself_or_of_an_unknown_ticket_is_refused(
    uow: FakeUnitOfWork, clock: SimClock, original: str, reason: str
) -> None:
    report(uow, PLANT, clock)
    code = report(uow, PLANT, clock).code
    assert code == "HZ-261128-0002"
    assert refusal(uow, clock, code, Action.DUPLICATE, "SO1", duplicate_of=original) == reason
    assert stored(uow, code).status is Status.REPORTED


def test_a_duplicate_points_at_its_original(uow: FakeUnitOfWork, clock: SimClock) -> None:
    first = report(uow, PLANT, clock).code
    second = report(uow, PLANT, clock).code
    events = act(uow, clock, second, Action.DUPLICATE, "SO1", duplicate_of=first.lower())
    assert events == [
        TicketJudged(second, Action.DUPLICATE, "SO1", first, previous_status=Status.REPORTED)
    ]
    ticket = stored(uow, second)
    assert (ticket.status, ticket.duplicate_of) == (Status.REJECTED, first)


def test_a_resolved_ticket_is_closed_by_safety_staff(uow: FakeUnitOfWork, clock: SimClock) -> None:
    code = report(uow, PLANT, clock).code
    for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                          (Action.DONE, {"after_photo": PHOTO})]:
        act(uow, clock, code, action, "TL-MECH", **extra)
    assert refusal(uow, clock, code, Action.CLOSE, "TL-MECH") == "not_allowed"
    clock.advance(timedelta(days=1))
    act(uow, clock, code, Action.CLOSE, "SO1")
    ticket = stored(uow, code)
    assert (ticket.status, ticket.closed_at) == (Status.CLOSED, clock.now())


def test_every_step_of_a_whole_loop_leaves_a_verifiable_audit_trail(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    steps = [
        (Action.VALID, "SO1", {}), (Action.ACCEPT, "TL-MECH", {}), (Action.START, "TL-MECH", {}),
        (Action.DONE, "TL-MECH", {"after_photo": PHOTO}), (Action.CLOSE, "SO1", {}),
    ]
    for action, actor, extra in steps:
        clock.advance(timedelta(minutes=30))
        act(uow, clock, code, action, actor, **extra)
    entries = list(uow.audit.entries())
    assert [(e.actor, e.action) for e in entries] == [
        ("W1", "TicketOpened"), ("SO1", "TicketActed"), ("system", "PointsChanged"),
        ("TL-MECH", "TicketActed"), ("TL-MECH", "TicketActed"), ("TL-MECH", "TicketActed"),
        ("SO1", "TicketActed"),
    ]
    assert {e.subject for e in entries} == {code}
    assert first_bad_entry(entries) is None


def test_the_fakes_offer_every_method_of_every_port(uow: FakeUnitOfWork) -> None:
    # Keeps the fakes in step with core/ports.py when a port grows.
    for name, port in get_type_hints(UnitOfWork).items():
        wanted = {m for m in vars(port) if callable(vars(port)[m]) and not m.startswith("_")}
        fake = getattr(uow, name)
        assert {m for m in wanted if not callable(getattr(fake, m, None))} == set(), name
    assert {"commit", "rollback", "__enter__", "__exit__"} <= set(dir(uow))

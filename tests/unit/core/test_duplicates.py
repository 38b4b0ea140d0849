"""Which open ticket a new report looks like, joining it, and what a reused photo costs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.clock import SimClock
from core.duplicates import (
    REUSE_WINDOW,
    SAME_SPOT_M,
    JoinRefused,
    Rule,
    best_match,
    join_ticket,
    look_for_duplicates,
)
from core.events import TicketJoined
from core.geo import GeoPoint, distance_m
from core.photo_prints import BANDS, NEAR, SHARED_BANDS, PhotoPrint, same_photo
from core.plant import Severity
from core.services import ActOnTicket, OpenTicket, act_on_ticket, open_ticket
from core.tickets import Action, Status, Ticket
from tests.unit.core.duplicate_fakes import FakeDuplicateIndex
from tests.unit.core.fakes import FakeUnitOfWork, make_plant

PLANT = make_plant()
HERE = GeoPoint(31.31690, 120.71975)
METRE_NORTH = 1 / 111_195.08  # degrees of latitude in a metre, on the haversine's sphere
SHA_A, SHA_B, SHA_C = "a" * 64, "b" * 64, "c" * 64


def north(metres: float) -> GeoPoint:
    return GeoPoint(HERE.lat + metres * METRE_NORTH, HERE.lon)


def command(**changes: object) -> OpenTicket:
    base = OpenTicket(reporter="W2", area="MACH", category="mechanical",
                      urgency=Severity.GENERAL,
                      description="防护罩松动", photos=(SHA_C,))
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def index(uow: FakeUnitOfWork) -> FakeDuplicateIndex:
    fake = FakeDuplicateIndex(lambda: list(uow.tickets.all()))
    uow.duplicates = fake  # type: ignore[attr-defined]
    return fake


def opened(uow: FakeUnitOfWork, clock: SimClock, *, prints: tuple[PhotoPrint, ...] = (),
           **changes: object) -> Ticket:
    """A ticket opened by W1 through the real use case, its photos indexed as on opening."""
    cmd = command(reporter="W1", photos=tuple(p.sha256 for p in prints) or (SHA_A,),
                  **changes)
    code = open_ticket(cmd, uow=uow, plant=PLANT, clock=clock)[0].code
    ticket = uow.tickets.get(code)
    assert ticket is not None
    if prints:
        uow.duplicates.index(code, prints, ticket.created_at)  # type: ignore[attr-defined]
    return ticket


# -- the three rules, and what is not a match --------------------------------------

def test_the_same_equipment_and_category_is_a_match_wherever_it_was_located(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    ticket = opened(uow, clock, equipment="CNC-07", location=HERE)
    match = best_match(command(equipment="cnc-07", location=north(300)), [ticket])
    assert match is not None and (match.ticket.code, match.rule) == (ticket.code, Rule.EQUIPMENT)


def test_the_same_category_within_50_m_is_a_match_and_51_m_is_not(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    ticket = opened(uow, clock, location=HERE)
    assert distance_m(HERE, north(50)) == pytest.approx(50, abs=0.01)
    near = best_match(command(location=north(49.9)), [ticket])
    assert near is not None and near.rule is Rule.NEARBY
    assert near.metres == pytest.approx(49.9, abs=0.1)
    assert best_match(command(location=north(51)), [ticket]) is None
    assert SAME_SPOT_M == 50


def test_another_category_at_the_same_spot_and_equipment_is_no_match(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    ticket = opened(uow, clock, equipment="CNC-07", location=HERE)
    assert best_match(command(category="electrical", equipment="CNC-07", location=HERE),
                      [ticket]) is None


def test_a_report_without_a_location_or_equipment_matches_by_neither_rule(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    ticket = opened(uow, clock, location=HERE)
    assert best_match(command(), [ticket]) is None


def test_only_open_tickets_are_offered(uow: FakeUnitOfWork, clock: SimClock) -> None:
    ticket = opened(uow, clock, equipment="CNC-07")
    for status in (Status.RESOLVED, Status.CLOSED, Status.REJECTED):
        assert best_match(command(equipment="CNC-07"), [replace(ticket, status=status)]) is None


def test_the_strongest_rule_wins_then_the_nearest(uow: FakeUnitOfWork, clock: SimClock) -> None:
    far = opened(uow, clock, location=north(30))
    near = opened(uow, clock, location=north(10))
    machine = opened(uow, clock, equipment="CNC-07", location=north(45))
    match = best_match(command(location=HERE), [far, near])
    assert match is not None and match.ticket.code == near.code
    match = best_match(command(location=HERE, equipment="CNC-07"), [far, near, machine])
    assert match is not None and match.ticket.code == machine.code


def test_a_photo_of_an_open_ticket_is_a_match_in_any_category(
    uow: FakeUnitOfWork, clock: SimClock, index: FakeDuplicateIndex,
) -> None:
    theirs = PhotoPrint(SHA_A, 0x0123_4567_89AB_CDEF)
    ticket = opened(uow, clock, prints=(theirs,), category="electrical")
    mine = PhotoPrint(SHA_C, theirs.dhash ^ 0b101)  # recompressed: two bits moved
    found = look_for_duplicates(command(photos=(SHA_C,)), [mine], uow=uow, now=clock.now())
    assert found.match is not None
    assert (found.match.ticket.code, found.match.rule) == (ticket.code, Rule.PHOTO)
    assert found.reused_photo_of == ticket.code


# -- reused photos -------------------------------------------------------------------

def test_a_photo_of_a_closed_ticket_is_no_match_but_is_reused(
    uow: FakeUnitOfWork, clock: SimClock, index: FakeDuplicateIndex,
) -> None:
    ticket = opened(uow, clock, prints=(PhotoPrint(SHA_A, 1 << 63),))
    uow.tickets.save(replace(ticket, status=Status.CLOSED))
    clock.advance(REUSE_WINDOW - timedelta(minutes=1))
    found = look_for_duplicates(command(), [PhotoPrint(SHA_A)], uow=uow, now=clock.now())
    assert found.match is None and found.reused_photo_of == ticket.code


def test_a_photo_older_than_90_days_is_not_reused(
    uow: FakeUnitOfWork, clock: SimClock, index: FakeDuplicateIndex,
) -> None:
    opened(uow, clock, prints=(PhotoPrint(SHA_A, 1 << 63),))
    clock.advance(REUSE_WINDOW + timedelta(minutes=1))
    found = look_for_duplicates(command(), [PhotoPrint(SHA_A)], uow=uow, now=clock.now())
    assert found == type(found)()


def test_a_report_with_a_reused_photo_earns_no_points_when_judged_valid(
    uow: FakeUnitOfWork, clock: SimClock,
) -> None:
    earlier = opened(uow, clock)
    code = open_ticket(command(reused_photo_of=earlier.code), uow=uow, plant=PLANT,
                       clock=clock)[0].code
    events = act_on_ticket(ActOnTicket(code, Action.VALID, "SO1"), uow=uow, plant=PLANT,
                           clock=clock)
    assert [type(e).__name__ for e in events] == ["TicketJudged"]  # no PointsChanged
    assert uow.points.balance("W2") == 0
    ticket = uow.tickets.get(code)
    assert ticket is not None and ticket.points == 0 and ticket.reused_photo_of == earlier.code


# -- joining -------------------------------------------------------------------------

def test_joining_follows_the_ticket_once_and_records_it(
    uow: FakeUnitOfWork, clock: SimClock, index: FakeDuplicateIndex,
) -> None:
    ticket = opened(uow, clock)
    assert join_ticket(ticket.code, "W2", uow=uow, plant=PLANT, clock=clock) == [
        TicketJoined(ticket.code, "W2")]
    assert join_ticket(ticket.code, "W2", uow=uow, plant=PLANT, clock=clock) == []  # replayed
    assert index.followers(ticket.code) == ["W2"]
    assert [e.action for e in uow.audit.entries()].count("TicketJoined") == 1


def test_the_reporter_joining_their_own_ticket_changes_nothing(
    uow: FakeUnitOfWork, clock: SimClock, index: FakeDuplicateIndex,
) -> None:
    ticket = opened(uow, clock)
    assert join_ticket(ticket.code, "W1", uow=uow, plant=PLANT, clock=clock) == []
    assert index.followers(ticket.code) == []


@pytest.mark.parametrize(("code", "person", "reason"), [
    ("HZ-261128-0099", "W2", "unknown_ticket"),
    (None, "nobody", "not_allowed"),
    (None, "W2", "not_open"),
])
def test_a_join_is_refused_for_an_unknown_ticket_or_person_or_a_closed_ticket(
    uow: FakeUnitOfWork, clock: SimClock, index: FakeDuplicateIndex,
    code: str | None, person: str, reason: str,
) -> None:
    ticket = opened(uow, clock)
    uow.tickets.save(replace(ticket, status=Status.RESOLVED))
    with pytest.raises(JoinRefused) as refused:
        join_ticket(code or ticket.code, person, uow=uow, plant=PLANT, clock=clock)
    assert refused.value.reason == reason
    assert index.followers(ticket.code) == []


# -- prints --------------------------------------------------------------------------

def test_hashes_within_near_bits_share_enough_bands_for_the_lookup_to_find_them() -> None:
    assert NEAR < BANDS and SHARED_BANDS == BANDS - NEAR
    base = PhotoPrint(SHA_A, 0)
    spread = PhotoPrint(SHA_B, sum(1 << (8 * i) for i in range(NEAR)))  # one bit in each band
    assert same_photo(base, spread)
    bands_a, bands_b = base.bands(), spread.bands()
    assert bands_a is not None and bands_b is not None
    assert sum(a == b for a, b in zip(bands_a, bands_b, strict=True)) == SHARED_BANDS
    assert not same_photo(base, PhotoPrint(SHA_B, (1 << (NEAR + 1)) - 1))


def test_identical_bytes_are_the_same_photo_even_without_a_hash() -> None:
    assert same_photo(PhotoPrint(SHA_A), PhotoPrint(SHA_A, 5))
    assert not same_photo(PhotoPrint(SHA_A), PhotoPrint(SHA_B))

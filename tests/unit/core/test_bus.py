"""One event registry: use cases record events, subscribers hear them just before commit."""

from __future__ import annotations

import pytest

from core.bus import EventRegistry
from core.clock import SimClock
from core.events import (
    ACTED,
    PointsChanged,
    TicketAccepted,
    TicketActed,
    TicketOpened,
    TicketResolved,
    TicketStarted,
)
from core.messages import OutMessage
from core.ports import UnitOfWork
from core.services import ActOnTicket, act_on_ticket
from core.tickets import Action, Status
from tests.unit.core.fakes import FakeUnitOfWork, make_plant, report

PLANT = make_plant()
PHOTO = "b" * 64


class Heard:
    """A subscriber that remembers every event it is handed."""

    def __init__(self) -> None:
        self.events: list[object] = []

    def __call__(self, event: object, uow: UnitOfWork) -> None:
        self.events.append(event)


def fix(uow: FakeUnitOfWork, clock: SimClock) -> str:
    """A ticket reported, accepted, started and done, committed at the end."""
    with uow:
        code = report(uow, PLANT, clock).code
        for action, extra in [(Action.ACCEPT, {}), (Action.START, {}),
                              (Action.DONE, {"after_photo": PHOTO})]:
            act_on_ticket(ActOnTicket(code=code, action=action, actor="TL-MECH", **extra),
                          uow=uow, plant=PLANT, clock=clock)
        uow.commit()
    return code


def test_a_new_subscriber_to_ticket_resolved_gets_it_and_nothing_else(clock: SimClock) -> None:
    registry, heard = EventRegistry(), Heard()
    registry.subscribe(TicketResolved, heard)  # the one line a new module adds
    code = fix(FakeUnitOfWork(registry), clock)
    assert heard.events == [
        TicketResolved(code, Action.DONE, "TL-MECH", previous_status=Status.IN_PROGRESS)
    ]


def test_a_subscriber_to_the_base_class_hears_every_action(clock: SimClock) -> None:
    registry, heard = EventRegistry(), Heard()
    registry.subscribe(TicketActed, heard)
    fix(FakeUnitOfWork(registry), clock)
    assert [type(e) for e in heard.events] == [TicketAccepted, TicketStarted, TicketResolved]


def test_subscribers_hear_the_events_in_the_order_they_were_recorded(clock: SimClock) -> None:
    registry, heard = EventRegistry(), Heard()
    registry.subscribe(object, heard)
    fix(FakeUnitOfWork(registry), clock)
    assert [type(e) for e in heard.events] == [
        TicketOpened, TicketAccepted, TicketStarted, TicketResolved,
    ]


def test_nothing_is_heard_before_the_commit_nor_after_a_rollback(clock: SimClock) -> None:
    registry, heard = EventRegistry(), Heard()
    registry.subscribe(TicketOpened, heard)
    uow = FakeUnitOfWork(registry)
    with uow:
        report(uow, PLANT, clock)
        assert heard.events == []
        uow.rollback()
        uow.commit()
    assert heard.events == []


def test_what_a_subscriber_writes_is_committed_with_the_change(clock: SimClock) -> None:
    registry = EventRegistry()

    def tell_the_reporter(event: TicketOpened, uow: UnitOfWork) -> None:
        uow.outbox.put(OutMessage("terminal", event.actor, f"opened {event.code}"), clock.now())

    registry.subscribe(TicketOpened, tell_the_reporter)
    uow = FakeUnitOfWork(registry)
    with uow:
        code = report(uow, PLANT, clock).code
        assert uow.outbox.messages == []
        uow.commit()
    assert [m.text for m in uow.outbox.messages] == [f"opened {code}"]


def test_events_a_subscriber_records_are_dispatched_in_turn_before_the_commit(
    clock: SimClock,
) -> None:
    registry, heard = EventRegistry(), Heard()

    def award(event: TicketOpened, uow: UnitOfWork) -> None:
        uow.record(PointsChanged(event.actor, 1, event.code, "first report"))

    registry.subscribe(TicketOpened, award)
    registry.subscribe(PointsChanged, heard)
    fix(FakeUnitOfWork(registry), clock)
    assert [(e.person, e.delta) for e in heard.events] == [("W1", 1)]  # type: ignore[attr-defined]


def test_subscribers_that_never_stop_recording_fail_the_commit(clock: SimClock) -> None:
    registry = EventRegistry()
    registry.subscribe(TicketOpened, lambda event, uow: uow.record(event))
    uow = FakeUnitOfWork(registry)
    with uow, pytest.raises(RuntimeError, match="rounds"):
        report(uow, PLANT, clock)
        uow.commit()
    assert not uow.committed


def test_every_action_is_still_filed_as_ticket_acted_in_the_audit_log(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = fix(uow, clock)
    entries = [e for e in uow.audit.entries() if e.subject == code]
    assert [(e.action, e.data.get("action")) for e in entries] == [
        ("TicketOpened", None), ("TicketActed", "accept"), ("TicketActed", "start"),
        ("TicketActed", "done"),
    ]
    assert entries[-1].data == {
        "action": "done", "previous_status": "in_progress", "status": "resolved",
    }


def test_every_action_records_an_event_of_its_own_class_under_ticket_acted() -> None:
    assert set(ACTED) == set(Action)
    assert all(issubclass(kind, TicketActed) and kind is not TicketActed
               for kind in ACTED.values())

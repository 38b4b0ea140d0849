"""The SQL unit of work dispatches events inside its transaction: all is committed or none."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from bot.plantfile import read_plant
from core.bus import EventRegistry
from core.clock import SimClock
from core.events import TicketOpened
from core.messages import OutMessage
from core.plant import Severity
from core.ports import UnitOfWork
from core.services import OpenTicket, open_ticket
from storage.tables import OutboxRow, TicketRow
from storage.uow import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[2]
PLANT = read_plant(ROOT / "config" / "demo-plant.yaml")
T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
CLOCK = SimClock(T0)


def tell(event: TicketOpened, uow: UnitOfWork) -> None:
    uow.outbox.put(OutMessage("terminal", event.actor, f"opened {event.code}"), T0)


def fail(event: TicketOpened, uow: UnitOfWork) -> None:
    raise RuntimeError("the subscriber broke")


def report(uow: UnitOfWork) -> None:
    open_ticket(
        OpenTicket(reporter="W01", area="MACH", category="mechanical", urgency=Severity.GENERAL,
                   description="防护罩缺失", photos=("a" * 64,)),
        uow=uow, plant=PLANT, clock=CLOCK,
    )


def counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        tickets = session.exec(select(func.count()).select_from(TicketRow)).one()
        messages = session.exec(select(func.count()).select_from(OutboxRow)).one()
    return tickets, messages


def test_what_subscribers_write_is_committed_with_the_ticket(engine: Engine) -> None:
    registry = EventRegistry()
    registry.subscribe(TicketOpened, tell)
    with SqlUnitOfWork(engine, registry) as uow:
        report(uow)
        assert counts(engine) == (0, 0)  # nothing is visible before the commit
        uow.commit()
    assert counts(engine) == (1, 1)


def test_a_failing_subscriber_leaves_neither_the_ticket_nor_any_message(engine: Engine) -> None:
    registry = EventRegistry()
    registry.subscribe(TicketOpened, tell)
    registry.subscribe(TicketOpened, fail)
    with pytest.raises(RuntimeError, match="broke"), SqlUnitOfWork(engine, registry) as uow:
        report(uow)
        uow.commit()
    assert counts(engine) == (0, 0)

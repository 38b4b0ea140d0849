"""A ticket's copy of its deadline policy in SQL, and tickets stored before it was kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, text

from bot.plantfile import read_plant
from core import escalation
from core.clock import SimClock
from core.plant import EscalationLevel, Plant, Role, Severity, SlaWindow
from core.services import ActOnTicket, OpenTicket, act_on_ticket, open_ticket
from core.tickets import Action, Ticket
from storage.uow import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def demo() -> Plant:
    return read_plant(ROOT / "config" / "demo-plant.yaml")


def edited(plant: Plant) -> Plant:
    """The plant after plant.yaml was edited: a shorter window and another ladder."""
    return replace(
        plant, sla={**plant.sla, Severity.GENERAL: SlaWindow(acknowledge="2h", resolve="1d")},
        escalation=(EscalationLevel(Role.SAFETY_MANAGER, "1h"), EscalationLevel(Role.ADMIN)),
    )


def opened(engine: Engine, plant: Plant) -> str:
    with SqlUnitOfWork(engine) as uow:
        [event] = open_ticket(
            OpenTicket(reporter="W01", area="MACH", category="mechanical",
                       urgency=Severity.GENERAL, description="防护罩缺失", photos=("a" * 64,)),
            uow=uow, plant=plant, clock=SimClock(T0),
        )
        uow.commit()
    return event.code  # type: ignore[union-attr]


def read(engine: Engine, code: str) -> Ticket:
    with SqlUnitOfWork(engine) as uow:
        ticket = uow.tickets.get(code)
    assert ticket is not None
    return ticket


def test_the_policy_copied_at_opening_reads_back_the_same(engine: Engine) -> None:
    plant = demo()
    ticket = read(engine, opened(engine, plant))
    assert ticket.policy == escalation.policy_for(plant, Severity.GENERAL)
    assert ticket.remind_at == T0 + 18 * HOUR


def test_a_ticket_stored_before_policies_were_kept_follows_the_current_plant_until_it_moves(
    engine: Engine,
) -> None:
    code = opened(engine, demo())
    with engine.begin() as connection:  # as migration 0005 leaves tickets stored before it
        connection.execute(text("UPDATE tickets SET policy = NULL, remind_at = NULL"))
    now = edited(demo())
    old = read(engine, code)
    assert old.policy is None
    assert escalation.policy_of(now, old) == escalation.policy_for(now, Severity.GENERAL)
    with SqlUnitOfWork(engine) as uow:
        act_on_ticket(ActOnTicket(code=code, action=Action.ACCEPT, actor="TL-MECH"),
                      uow=uow, plant=now, clock=SimClock(T0 + HOUR))
        uow.commit()
    assert read(engine, code).policy == escalation.policy_for(now, Severity.GENERAL)

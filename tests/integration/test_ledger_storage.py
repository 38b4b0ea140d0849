"""The points ledger and the shop book in SQL, on SQLite and PostgreSQL alike: the database
itself keeps an entry once, a balance is a sum, stock never passes what there is."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from core.geo import GeoPoint
from core.ledger import EntryKind, LedgerEntry, Part
from core.plant import Severity
from core.ports import TicketFilter
from core.shop import Order, OrderStatus
from core.tickets import Ticket, Validity
from storage.database import alembic_config, upgrade
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def award(person: str, ticket: str, delta: int, generation: int = 0, *,
          at: datetime = T0) -> LedgerEntry:
    return LedgerEntry(person=person, kind=EntryKind.AWARD, delta=delta, reason="valid",
                       actor="SO1", at=at, ticket=ticket, part=Part.SEVERITY,
                       key=f"award:{ticket}:severity:{generation}")


def test_an_entry_is_written_once_by_its_key_and_the_database_refuses_a_second(
    engine: Engine,
) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.append(award("W01", "HZ-261130-0001", 10))
        assert not uow.points.append(replace(award("W01", "HZ-261130-0001", 10), actor="SO2"))
        uow.commit()
    # Past the repository too: the unique index is what stands between two processes.
    with engine.connect() as db, pytest.raises(IntegrityError):
        db.execute(text(
            "INSERT INTO points_ledger (person, kind, delta, reason, actor, at, idempotency_key)"
            " VALUES ('W01', 'award', 10, 'valid', 'SO2', :at,"
            " 'award:HZ-261130-0001:severity:0')"), {"at": T0})
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.balance("W01") == 10
        assert len(uow.points.of_ticket("HZ-261130-0001")) == 1


def test_entries_without_a_key_are_all_kept(engine: Engine) -> None:
    adjust = LedgerEntry(person="W01", kind=EntryKind.ADJUST, delta=5, reason="安全月",
                         actor="ADMIN", at=T0)
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.append(adjust) and uow.points.append(adjust)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.balance("W01") == 10


def test_a_balance_is_the_sum_and_the_latest_entries_come_newest_first(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for n in range(12):
            uow.points.append(award("W01", f"HZ-261130-{n:04d}", n + 1, at=T0 + n * timedelta(
                minutes=1)))
        uow.points.append(LedgerEntry(person="W01", kind=EntryKind.REDEEM, delta=-30,
                                      reason="GLOVES", actor="W01", at=T0, order=4,
                                      key="redeem:4"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.balance("W01") == sum(range(1, 13)) - 30
        latest = uow.points.entries("W01", limit=10)
        assert [e.delta for e in latest] == [-30, 12, 11, 10, 9, 8, 7, 6, 5, 4]
        assert (latest[0].kind, latest[0].order, latest[0].ticket) == (EntryKind.REDEEM, 4, None)
        assert latest[1].at == T0 + 11 * timedelta(minutes=1)
        assert (latest[1].part, latest[1].actor) == (Part.SEVERITY, "SO1")
        # spending in the shop does not lower a ranking: it counts what was earned
        assert uow.points.ranking() == [("W01", sum(range(1, 13)))]


def test_stock_is_taken_only_while_some_is_left_and_given_back_never_below_zero(
    engine: Engine,
) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert [uow.shop.take("SHOES", 2) for _ in range(3)] == [True, True, False]
        uow.shop.give_back("SHOES")
        uow.shop.give_back("SHOES")
        uow.shop.give_back("SHOES")
        assert uow.shop.taken("SHOES") == 0
        assert uow.shop.take("SHOES", 2)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert (uow.shop.taken("SHOES"), uow.shop.taken("NEVER")) == (1, 0)


def test_an_order_is_decided_only_while_pending(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        placed = Order(person="W01", item="GLOVES", price=10, created_at=T0)
        uow.shop.add(placed)
        uow.commit()
    assert placed.id is not None
    decided = replace(placed, status=OrderStatus.APPROVED, decided_at=T0, decided_by="ADMIN")
    with SqlUnitOfWork(engine) as uow:
        assert uow.shop.decide(decided)
        assert not uow.shop.decide(replace(decided, status=OrderStatus.REJECTED, reason="x"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.shop.get(placed.id) == decided
        assert uow.shop.orders([OrderStatus.PENDING]) == []
        assert uow.shop.orders() == [decided]
        assert uow.shop.ordered("W01", "GLOVES", T0) == 1
        assert uow.shop.ordered("W01", "GLOVES", T0 + timedelta(seconds=1)) == 0


def ticket(code: str, *, equipment: str | None, category: str, at: datetime) -> Ticket:
    return Ticket(code=code, reporter="W01", area="MACH", category=category,
                  severity=Severity.GENERAL, urgency=Severity.GENERAL, description="防护罩",
                  team="MECH", created_at=at, equipment=equipment, validity=Validity.VALID,
                  location=GeoPoint(31.3172, 120.7208))


def test_tickets_of_the_same_problem_are_found_by_equipment_category_and_time(
    engine: Engine,
) -> None:
    with SqlUnitOfWork(engine) as uow:
        for n, (equipment, category, days) in enumerate([
            ("CNC-07", "mechanical", 10), ("cnc-07", "mechanical", 20), ("CNC-07", "fire", 5),
            ("CNC-12", "mechanical", 5), (None, "mechanical", 5), ("CNC-07", "mechanical", 95),
        ]):
            uow.tickets.add(ticket(f"HZ-261130-{n:04d}", equipment=equipment, category=category,
                                   at=T0 - timedelta(days=days)))
        uow.commit()
    where = TicketFilter(category="mechanical", equipment="Cnc-07",
                         created_from=T0 - timedelta(days=90), created_before=T0)
    with SqlUnitOfWork(engine) as uow:
        found = uow.tickets.find(where)
        assert sorted(t.code for t in found) == ["HZ-261130-0000", "HZ-261130-0001"]
        assert [t.code for t in uow.tickets.all() if where.matches(t)] == [
            "HZ-261130-0000", "HZ-261130-0001"]  # the fakes' filter agrees with the SQL


def test_entries_kept_before_0014_become_keyed_awards_and_revocations(
    blank_engine: Engine,
) -> None:
    config = alembic_config(blank_engine)
    command.upgrade(config, "0013")
    legacy = [("W01", "HZ-1", 10, "valid"), ("W01", "HZ-1", -10, "duplicate"),
              ("W01", "HZ-1", 10, "valid"), ("W02", "HZ-2", 5, "valid")]
    with blank_engine.begin() as db:
        for person, code, delta, reason in legacy:
            db.execute(text("INSERT INTO points_ledger (person, ticket, delta, reason, at) "
                            "VALUES (:p, :t, :d, :r, :at)"),
                       {"p": person, "t": code, "d": delta, "r": reason, "at": T0})
    upgrade(blank_engine)
    with SqlUnitOfWork(blank_engine) as uow:
        assert (uow.points.balance("W01"), uow.points.balance("W02")) == (10, 5)
        entries = uow.points.of_ticket("HZ-1")
        assert [(e.kind, e.part, e.actor, e.key) for e in entries] == [
            (EntryKind.AWARD, Part.SEVERITY, "system", "award:HZ-1:severity:0"),
            (EntryKind.REVOKE, Part.SEVERITY, "system", "revoke:HZ-1:severity:0"),
            (EntryKind.AWARD, Part.SEVERITY, "system", "award:HZ-1:severity:1"),
        ]
    command.downgrade(config, "0013")
    with blank_engine.connect() as db:
        kept = db.execute(text("SELECT SUM(delta) FROM points_ledger")).scalar_one()
    assert kept == 15

"""Major hazards in SQL keep what core hands them, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine

from core.major_hazards import RemediationPlan
from core.plant import Severity
from core.tickets import Status, Ticket
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


def ticket(number: int, **changes: object) -> Ticket:
    base = Ticket(code=f"HZ-261128-{number:04d}", reporter="W01", area="STAMP",
                  category="mechanical", severity=Severity.SERIOUS, urgency=Severity.SERIOUS,
                  description="冲床光幕失效", team="MECH", created_at=T0)
    return replace(base, **changes)


def plan(code: str, funds: str = "12345678.90", **changes: object) -> RemediationPlan:
    base = RemediationPlan(
        code=code, responsible="TL-MECH", measures="更换光幕，加装双手按钮", funds=Decimal(funds),
        deadline=date(2026, 12, 31), emergency_plan="停机挂牌，专人监护", entered_by="SM",
        entered_at=T0 + timedelta(hours=1),
    )
    return replace(base, **changes)


def test_grading_plans_and_who_closed_are_kept_and_the_register_lists_majors_in_order(
    engine: Engine,
) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(1, major_at=T0 + timedelta(hours=2), major_by="SM"))
        uow.tickets.add(ticket(2))  # ordinary: not in the register
        uow.tickets.add(ticket(3, major_at=T0 + timedelta(hours=1), major_by="SM",
                               status=Status.CLOSED, closed_at=T0 + timedelta(days=3),
                               closed_by="SM"))
        uow.majors.save_plan(plan("HZ-261128-0003"))
        uow.commit()

    with SqlUnitOfWork(engine) as uow:
        register = uow.majors.graded()
        kept = uow.majors.plan("hz-261128-0003 ")
    assert [(t.code, p is not None) for t, p in register] == [
        ("HZ-261128-0003", True), ("HZ-261128-0001", False)]  # the order graded
    closed = register[0][0]
    assert (closed.major_by, closed.closed_by, closed.is_major) == ("SM", "SM", True)
    assert closed.major_at == T0 + timedelta(hours=1)
    assert kept == plan("HZ-261128-0003")  # funds to the fen, the date and the instant as given


def test_entering_a_plan_again_replaces_it(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(1, major_at=T0, major_by="SM"))
        uow.majors.save_plan(plan("HZ-261128-0001"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        uow.majors.save_plan(plan("HZ-261128-0001", funds="0.01", entered_by="TL-MECH"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        [(_, kept)] = uow.majors.graded()
    assert kept is not None and (kept.funds, kept.entered_by) == (Decimal("0.01"), "TL-MECH")


def test_a_plan_left_uncommitted_is_not_kept(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(1, major_at=T0, major_by="SM"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        uow.majors.save_plan(plan("HZ-261128-0001"))
    with SqlUnitOfWork(engine) as uow:
        assert uow.majors.plan("HZ-261128-0001") is None

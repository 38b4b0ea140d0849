"""Points earned per person, summed in SQL on SQLite and PostgreSQL: awards net of
revocations and corrections, from an instant on, spending in the shop left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from core.ledger import EntryKind, LedgerEntry
from storage.uow import SqlUnitOfWork

MONTH = datetime(2026, 11, 1, tzinfo=ZoneInfo("Asia/Shanghai"))  # 16:00 UTC on 31 October


def test_earned_points_sum_what_counts_from_an_instant_on(engine: Engine) -> None:
    before, after = MONTH - timedelta(minutes=1), MONTH
    rows = [
        ("W01", EntryKind.AWARD, 10, before), ("W01", EntryKind.AWARD, 12, after),
        ("W01", EntryKind.REVOKE, -10, after),  # last month's award taken back this month
        ("W02", EntryKind.AWARD, 20, after), ("W02", EntryKind.REDEEM, -15, after),
        ("W02", EntryKind.REFUND, 15, after), ("W03", EntryKind.ADJUST, 5, after),
    ]
    with SqlUnitOfWork(engine) as uow:
        for person, kind, delta, at in rows:
            uow.points.append(LedgerEntry(person=person, kind=kind, delta=delta, reason="x",
                                          actor="SO1", at=at))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert sorted(uow.rankings.earned()) == [("W01", 12), ("W02", 20), ("W03", 5)]
        assert sorted(uow.rankings.earned(MONTH)) == [("W01", 2), ("W02", 20), ("W03", 5)]
        assert uow.rankings.earned(datetime(2027, 1, 1, tzinfo=UTC)) == []

"""The monthly report's sends kept in SQL, on SQLite and PostgreSQL: the scheduled send of a
month is kept once whoever tries, a request is served once, and both survive a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from storage.uow import SqlUnitOfWork

AT = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def test_a_month_is_kept_as_sent_once(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert not uow.monthly_reports.scheduled_sent("2026-11")
        assert uow.monthly_reports.mark_scheduled("2026-11", AT)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:  # another process, or after a restart
        assert uow.monthly_reports.scheduled_sent("2026-11")
        assert not uow.monthly_reports.mark_scheduled("2026-11", AT + timedelta(minutes=1))
        assert uow.monthly_reports.mark_scheduled("2026-12", AT)  # the transaction goes on
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.monthly_reports.scheduled_sent("2026-12")
        assert uow.monthly_reports.pending() == []  # a scheduled send is no request


def test_a_request_waits_until_served_and_is_served_once(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.monthly_reports.request(month="2026-10", person="SM", lang="zh-CN", at=AT)
        uow.monthly_reports.request(month="2026-11", person="SO1", lang="en", at=AT)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        waiting = uow.monthly_reports.pending()
    assert [(r.month, r.person, r.lang) for r in waiting] == [
        ("2026-10", "SM", "zh-CN"), ("2026-11", "SO1", "en")]
    with SqlUnitOfWork(engine) as uow:
        assert uow.monthly_reports.served(waiting[0].id, AT)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert not uow.monthly_reports.served(waiting[0].id, AT)
        assert [r.person for r in uow.monthly_reports.pending()] == ["SO1"]

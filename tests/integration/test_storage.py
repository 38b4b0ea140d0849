"""The SQL adapters keep what core hands them, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from bot.plantfile import read_plant
from core.audit import first_bad_entry
from core.clock import SimClock
from core.dialog import ChatKey, Conversation, StoredRecord
from core.events import TicketEscalated
from core.geo import GeoPoint
from core.ledger import EntryKind, LedgerEntry, Part
from core.messages import Button, OutMessage
from core.plant import Plant, Role, Severity
from core.services import (
    ActOnTicket,
    OpenTicket,
    act_on_ticket,
    escalate_due_tickets,
    open_ticket,
)
from core.tickets import Action, Status, Ticket, Validity
from storage.outbox_queue import SqlOutboxQueue
from storage.uow import SqlUnitOfWork

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"
SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def demo() -> Plant:
    return read_plant(DEMO)


def ticket(number: int = 1, day: str = "261128", **changes: object) -> Ticket:
    base = Ticket(
        code=f"HZ-{day}-{number:04d}", reporter="W01", area="STAMP", category="mechanical",
        severity=Severity.GENERAL, urgency=Severity.GENERAL, description="冲床光幕失效",
        team="MECH", created_at=T0, due_at=T0 + 24 * HOUR,
    )
    return replace(base, **changes)


def add(engine: Engine, *tickets: Ticket) -> None:
    with SqlUnitOfWork(engine) as uow:
        for t in tickets:
            uow.tickets.add(t)
        uow.commit()


def get(engine: Engine, code: str) -> Ticket | None:
    with SqlUnitOfWork(engine) as uow:
        return uow.tickets.get(code)


# --- tickets


def test_a_ticket_round_trips_with_aware_utc_times_and_its_location(engine: Engine) -> None:
    local = datetime(2026, 11, 28, 9, 0, 0, 123456, tzinfo=SHANGHAI)
    original = ticket(
        created_at=local, due_at=local + 24 * HOUR, acknowledged_at=local + HOUR,
        severity=Severity.SERIOUS, urgency=Severity.CRITICAL, status=Status.ACKNOWLEDGED,
        validity=Validity.VALID, points=10, escalation_level=1,
        equipment="PRS-01", location=GeoPoint(31.3181, 120.7192, 6.5), location_source="gps",
        photos=["a" * 64, "c" * 64], reason="先停机", description="配电柜门未关，有积水\n第二行",
    )
    add(engine, original)
    assert original.id is not None
    loaded = get(engine, original.code)
    assert loaded == original
    assert loaded is not None
    for instant in (loaded.created_at, loaded.due_at, loaded.acknowledged_at):
        assert instant is not None and instant.utcoffset() == timedelta(0)
    assert loaded.created_at == datetime(2026, 11, 28, 1, 0, 0, 123456, tzinfo=UTC)
    assert loaded.location == GeoPoint(31.3181, 120.7192, 6.5)
    assert (loaded.severity, loaded.status, loaded.validity) == (
        Severity.SERIOUS, Status.ACKNOWLEDGED, Validity.VALID
    )


def test_a_ticket_without_a_location_comes_back_without_one(engine: Engine) -> None:
    add(engine, ticket())
    loaded = get(engine, "HZ-261128-0001")
    assert loaded is not None
    assert (loaded.location, loaded.due_at, loaded.photos) == (None, T0 + 24 * HOUR, [])


def test_a_naive_datetime_is_refused_rather_than_guessed(engine: Engine) -> None:
    naive = datetime(2026, 11, 28, 9, 0)  # noqa: DTZ001  (the mistake under test)
    with pytest.raises(Exception, match="naive datetime"), SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(created_at=naive))


def test_a_ticket_is_found_by_its_code_in_any_case(engine: Engine) -> None:
    add(engine, ticket())
    assert get(engine, " hz-261128-0001 ") is not None
    assert get(engine, "HZ-261128-0002") is None


def test_nothing_is_kept_unless_the_unit_of_work_commits(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket())
        assert uow.tickets.get("HZ-261128-0001") is not None  # visible inside
    assert get(engine, "HZ-261128-0001") is None


def test_an_explicit_rollback_discards_the_work_so_far(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(1))
        uow.rollback()
        uow.tickets.add(ticket(2))
        uow.commit()
    assert get(engine, "HZ-261128-0001") is None
    assert get(engine, "HZ-261128-0002") is not None


def test_an_error_inside_the_unit_of_work_rolls_everything_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError), SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket())
        raise RuntimeError("handler crashed")
    assert get(engine, "HZ-261128-0001") is None


def test_saving_changes_a_stored_ticket(engine: Engine) -> None:
    add(engine, ticket())
    with SqlUnitOfWork(engine) as uow:
        loaded = uow.tickets.get("HZ-261128-0001")
        assert loaded is not None
        loaded.status, loaded.after_photo = Status.RESOLVED, "b" * 64
        loaded.resolved_at, loaded.due_at = T0 + 2 * HOUR, None
        uow.tickets.save(loaded)
        uow.commit()
    again = get(engine, "HZ-261128-0001")
    assert again is not None
    assert (again.status, again.after_photo, again.resolved_at, again.due_at) == (
        Status.RESOLVED, "b" * 64, T0 + 2 * HOUR, None
    )


def test_numbers_run_per_day(engine: Engine) -> None:
    add(engine, ticket(1), ticket(2), ticket(1, day="261129"))
    with SqlUnitOfWork(engine) as uow:
        assert uow.tickets.next_number("261128") == 3
        assert uow.tickets.next_number("261129") == 2
        assert uow.tickets.next_number("261130") == 1


def test_two_tickets_cannot_share_a_code(engine: Engine) -> None:
    add(engine, ticket(1))
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        add(engine, ticket(1))


def test_due_returns_only_open_overdue_tickets_oldest_deadline_first(engine: Engine) -> None:
    now = T0 + 30 * HOUR
    add(
        engine,
        ticket(1, due_at=now - HOUR),
        ticket(2, due_at=now - 5 * HOUR, status=Status.ACKNOWLEDGED),
        ticket(3, due_at=now),  # due this very instant
        ticket(4, due_at=now + timedelta(seconds=1)),  # not yet
        ticket(5, due_at=now - HOUR, status=Status.REJECTED),
        ticket(6, due_at=now - HOUR, status=Status.RESOLVED),
        ticket(7, due_at=None),
        ticket(8, due_at=now - 2 * HOUR, status=Status.IN_PROGRESS),
    )
    with SqlUnitOfWork(engine) as uow:
        assert [t.code[-1] for t in uow.tickets.due(now)] == ["2", "8", "1", "3"]
        assert [t.code[-1] for t in uow.tickets.due(now, limit=2)] == ["2", "8"]
        assert uow.tickets.next_due_at() == now - 5 * HOUR


def test_reports_are_listed_per_reporter_newest_first(engine: Engine) -> None:
    add(engine, ticket(1), ticket(2, reporter="W02"), ticket(3), ticket(4))
    with SqlUnitOfWork(engine) as uow:
        assert [t.code[-1] for t in uow.tickets.by_reporter("W01")] == ["4", "3", "1"]
        assert [t.code[-1] for t in uow.tickets.by_reporter("W01", limit=1)] == ["4"]
        assert [t.code[-1] for t in uow.tickets.all()] == ["1", "2", "3", "4"]


# --- the whole loop on the demo plant


def test_the_ticket_loop_runs_on_the_database(engine: Engine, demo: Plant) -> None:
    clock = SimClock(datetime(2026, 11, 28, 23, 30, tzinfo=UTC))
    with SqlUnitOfWork(engine) as uow:
        [opened] = open_ticket(
            OpenTicket(reporter="W01", area="STAMP", category="electrical",
                       urgency=Severity.GENERAL, description="控制柜接线松动",
                       photos=("a" * 64,)),
            uow=uow, plant=demo, clock=clock,
        )
        uow.commit()
    code = opened.code  # type: ignore[union-attr]
    assert code == "HZ-261129-0001"  # 07:30 the next morning in Suzhou
    clock.advance(24 * HOUR)
    with SqlUnitOfWork(engine) as uow:
        events = escalate_due_tickets(uow=uow, plant=demo, clock=clock)
        uow.commit()
    assert events == [TicketEscalated(code, 1, Role.DEPARTMENT_HEAD, ("DH-EQUIP",))]
    with SqlUnitOfWork(engine) as uow:
        assert escalate_due_tickets(uow=uow, plant=demo, clock=clock) == []
        act_on_ticket(ActOnTicket(code=code, action=Action.VALID, actor="SO1"),
                      uow=uow, plant=demo, clock=clock)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        stored = uow.tickets.get(code)
        assert stored is not None
        assert (stored.team, stored.escalation_level, stored.points) == ("ELEC", 1, 5)
        assert uow.points.balance("W01") == 5
        entries = list(uow.audit.entries())
        assert [e.action for e in entries] == [
            "TicketOpened", "TicketEscalated", "TicketActed", "PointsChanged"
        ]
        assert first_bad_entry(entries) is None


# --- conversations, inbox, outbox


def test_a_conversation_round_trips_with_its_json_data(engine: Engine) -> None:
    key = ChatKey(channel="telegram", chat="-1001000000002", sender="424242")
    data = {"area": "STAMP", "photos": ["a" * 64], "point": {"lat": 31.3, "lon": 120.7},
            "text": "光幕失效", "count": 2, "flag": True, "nothing": None}
    conversation = Conversation(key=key, flow="report", step="PHOTO", updated_at=T0,
                                data=StoredRecord(data=data), rev=3)
    with SqlUnitOfWork(engine) as uow:
        assert uow.conversations.get(key) is None
        uow.conversations.save(conversation)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.conversations.get(key) == conversation
        conversation.step, conversation.rev = "CONFIRM", 4
        conversation.data = StoredRecord(data={**data, "urgency": "serious"})
        conversation.updated_at = T0 + HOUR
        uow.conversations.save(conversation)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.conversations.get(key) == conversation
        uow.conversations.delete(key)
        uow.conversations.delete(key)  # deleting what is gone is harmless
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.conversations.get(key) is None


def test_conversations_are_kept_apart_by_channel_chat_and_sender(engine: Engine) -> None:
    keys = [
        ChatKey("telegram", "1", "1"), ChatKey("wecom", "1", "1"), ChatKey("telegram", "1", "2")
    ]
    with SqlUnitOfWork(engine) as uow:
        for i, key in enumerate(keys):
            uow.conversations.save(Conversation(key, "report", f"S{i}", T0))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        found = [uow.conversations.get(key) for key in keys]
        assert [c.step if c else None for c in found] == ["S0", "S1", "S2"]


def test_the_inbox_says_first_time_once_per_update(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbox.first_time("telegram", "1001", T0) is True
        assert uow.inbox.first_time("telegram", "1001", T0) is False
        assert uow.inbox.first_time("wecom", "1001", T0) is True
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbox.first_time("telegram", "1001", T0 + HOUR) is False
        assert uow.inbox.first_time("telegram", "1002", T0 + HOUR) is True


def test_an_update_seen_in_a_rolled_back_unit_of_work_is_not_remembered(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbox.first_time("telegram", "1001", T0) is True
    with SqlUnitOfWork(engine) as uow:
        assert uow.inbox.first_time("telegram", "1001", T0) is True


def test_an_outbox_message_is_stored_whole_and_only_on_commit(engine: Engine) -> None:
    message = OutMessage(
        channel="telegram", address="-1001000000002", text="新隐患 HZ-261128-0001",
        person="TL-MECH", buttons=(Button("接收", "t:accept:HZ-261128-0001"),),
        ticket="HZ-261128-0001", image="a" * 64,
    )
    with SqlUnitOfWork(engine) as uow:
        uow.outbox.put(message, T0)
    queue = SqlOutboxQueue(engine)
    assert queue.claim(T0) == []
    with SqlUnitOfWork(engine) as uow:
        first = uow.outbox.put(message, T0)
        second = uow.outbox.put(replace(message, text="第二条"), T0)
        uow.commit()
    assert second > first
    [claimed] = queue.claim(T0)
    assert (claimed.id, claimed.attempts, claimed.message) == (first, 0, message)


# --- audit log


def append(engine: Engine, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        with SqlUnitOfWork(engine) as uow:
            uow.audit.append(
                at=(T0 + i * HOUR).astimezone(SHANGHAI), actor="SO1", action="TicketActed",
                subject="HZ-261128-0001",
                data={"i": i, "status": Status.ACKNOWLEDGED, "who": ("DH-EQUIP",), "at": T0},
            )
            uow.commit()


def entries(engine: Engine) -> list[object]:
    with SqlUnitOfWork(engine) as uow:
        return list(uow.audit.entries())


def test_the_audit_log_chains_entries_across_units_of_work(engine: Engine) -> None:
    append(engine, 4)
    with SqlUnitOfWork(engine) as uow:
        found = list(uow.audit.entries())
    assert [e.seq for e in found] == [1, 2, 3, 4]
    assert found[1].data == {
        "i": 1, "status": "acknowledged", "who": ["DH-EQUIP"], "at": str(T0)
    }
    assert found[0].at == T0 and found[0].at.utcoffset() == timedelta(0)
    assert first_bad_entry(found) is None


def test_an_uncommitted_audit_entry_leaves_no_gap_in_the_chain(engine: Engine) -> None:
    append(engine, 2)
    with SqlUnitOfWork(engine) as uow:
        uow.audit.append(at=T0, actor="x", action="y", subject="z", data={})
    append(engine, 1, start=2)
    with SqlUnitOfWork(engine) as uow:
        found = list(uow.audit.entries())
    assert [e.seq for e in found] == [1, 2, 3]
    assert first_bad_entry(found) is None


def test_an_audit_row_altered_with_raw_sql_is_caught(engine: Engine) -> None:
    append(engine, 4)
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'ADMIN' WHERE seq = 3"))
    with SqlUnitOfWork(engine) as uow:
        bad = first_bad_entry(uow.audit.entries())
    assert bad is not None and bad.seq == 3


def test_an_audit_row_deleted_with_raw_sql_is_caught(engine: Engine) -> None:
    append(engine, 4)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    with SqlUnitOfWork(engine) as uow:
        bad = first_bad_entry(uow.audit.entries())
    assert bad is not None and bad.seq == 3


# --- points and the directory


def change(person: str, delta: int, ticket: str = "HZ-261128-0001",
           reason: Validity = Validity.VALID) -> LedgerEntry:
    kind = EntryKind.AWARD if delta > 0 else EntryKind.REVOKE
    return LedgerEntry(person=person, kind=kind, delta=delta, reason=reason, actor="SO1",
                       at=T0, ticket=ticket, part=Part.SEVERITY,
                       key=f"{kind}:{ticket}:severity:0")


def test_points_add_up_to_a_balance_and_a_ranking(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for c in [change("W01", 5), change("W02", 10, "HZ-261128-0002"),
                  change("W01", 10, "HZ-261128-0003"), change("W03", 5, "HZ-261128-0004"),
                  change("W03", -5, "HZ-261128-0004", Validity.DUPLICATE),
                  change("W04", 10, "HZ-261128-0005")]:
            assert uow.points.append(c)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.points.balance("W01") == 15
        assert uow.points.balance("W03") == 0
        assert uow.points.balance("NOBODY") == 0
        assert uow.points.ranking() == [("W01", 15), ("W02", 10), ("W04", 10)]


def test_the_directory_binds_accounts_and_remembers_preferences(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        assert uow.directory.person_for("telegram", "424242") is None
        uow.directory.bind("telegram", "424242", "W01")
        uow.directory.bind("wecom", "zhangwei", "W01")
        uow.directory.bind("telegram", "515151", "W02")
        uow.directory.touch("W01", "wecom")
        uow.directory.set_language("W01", "en")
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.directory.person_for("telegram", "424242") == "W01"
        assert uow.directory.addresses("W01") == {"telegram": "424242", "wecom": "zhangwei"}
        assert uow.directory.last_channel("W01") == "wecom"
        assert uow.directory.language("W01") == "en"
        assert (uow.directory.last_channel("W02"), uow.directory.language("W02")) == (None, None)
        uow.directory.bind("telegram", "424242", "W03")  # the account changed hands
        uow.directory.touch("W01", "telegram")
        uow.directory.touch("W02", "telegram")
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.directory.person_for("telegram", "424242") == "W03"
        assert uow.directory.addresses("W01") == {"wecom": "zhangwei"}
        assert uow.directory.last_channel("W01") == "telegram"
        assert uow.directory.language("W01") == "en"  # touching keeps the language
        assert uow.directory.last_channel("W02") == "telegram"


def test_an_invitation_is_redeemed_once_and_never_after_it_expires(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        for token in ("tok-1", "tok-2"):
            uow.invites.add(token=token, person="W01", created_by="ADMIN", created_at=T0,
                            expires_at=T0 + 24 * HOUR)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.invites.redeem("tok-1", by="telegram:424242", at=T0 + HOUR) == "W01"
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.invites.redeem("tok-1", by="telegram:515151", at=T0 + HOUR) is None
        assert uow.invites.redeem("tok-2", by="telegram:515151", at=T0 + 24 * HOUR) is None
        assert uow.invites.redeem("nope", by="telegram:515151", at=T0) is None

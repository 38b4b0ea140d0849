"""Hand-written in-memory fakes of every port in core/ports.py, and a tiny plant for tests."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from core.audit import GENESIS, AuditEntry, entry_hash
from core.bus import EventRegistry
from core.clock import SimClock
from core.dialog import ChatKey, Conversation
from core.messages import OutMessage
from core.pictures import Picture
from core.plant import (
    Area,
    Category,
    Department,
    Equipment,
    Person,
    Plant,
    Role,
    Routing,
    RoutingRule,
    Severity,
    Site,
    Team,
)
from core.ports import TicketFilter
from core.services import OpenTicket, open_ticket
from core.tickets import OPEN_STATUSES, Ticket
from tests.unit.core.chain_fakes import FakeChainRepository
from tests.unit.core.ledger_fakes import FakePointsLedger, FakeShopBook
from tests.unit.core.major_fakes import FakeMajorRegister
from tests.unit.core.reminder_fakes import FakeReminderBook

# 09:00 in Suzhou on 28 November 2026.
T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


class FakeTicketRepository:
    """Stores copies, as a database would: changing a ticket means nothing until `save`."""

    def __init__(self) -> None:
        self._rows: dict[int, Ticket] = {}

    def add(self, ticket: Ticket) -> None:
        if any(row.code == ticket.code for row in self._rows.values()):
            raise ValueError(f"duplicate ticket code {ticket.code}")
        ticket.id = len(self._rows) + 1
        self._rows[ticket.id] = copy.deepcopy(ticket)

    def get(self, code: str) -> Ticket | None:
        wanted = code.strip().upper()
        found = next((t for t in self._rows.values() if t.code == wanted), None)
        return copy.deepcopy(found)

    def save(self, ticket: Ticket) -> None:
        if ticket.id not in self._rows:
            raise LookupError(ticket.code)
        self._rows[ticket.id] = copy.deepcopy(ticket)

    def next_number(self, day: str) -> int:
        numbers = [int(t.code[10:]) for t in self._rows.values() if t.code[3:9] == day]
        return max(numbers, default=0) + 1

    def due(self, now: datetime, limit: int = 100) -> list[Ticket]:
        due = [
            t for t in self._rows.values()
            if t.status in OPEN_STATUSES and t.due_at is not None and t.due_at <= now
        ]
        due.sort(key=lambda t: (t.due_at, t.id))
        return [copy.deepcopy(t) for t in due[:limit]]

    def next_due_at(self) -> datetime | None:
        pending = [
            t.due_at for t in self._rows.values()
            if t.status in OPEN_STATUSES and t.due_at is not None
        ]
        return min(pending, default=None)

    def by_reporter(self, person: str, limit: int = 10) -> list[Ticket]:
        mine = [t for t in self._rows.values() if t.reporter == person]
        mine.sort(key=lambda t: t.id or 0, reverse=True)
        return [copy.deepcopy(t) for t in mine[:limit]]

    def all(self) -> Iterator[Ticket]:
        for ticket_id in sorted(self._rows):
            yield copy.deepcopy(self._rows[ticket_id])

    def find(self, where: TicketFilter, *, limit: int = 100, offset: int = 0) -> list[Ticket]:
        found = [t for t in self._rows.values() if where.matches(t)]
        deadline = TicketFilter.deadline
        found.sort(key=lambda t: (deadline(t) is None, deadline(t) or T0, t.id or 0))
        return [copy.deepcopy(t) for t in found[offset:offset + limit]]

    def count(self, where: TicketFilter) -> int:
        return sum(1 for t in self._rows.values() if where.matches(t))


class FakeConversationRepository:
    def __init__(self) -> None:
        self._rows: dict[ChatKey, Conversation] = {}
        self._nudged: dict[ChatKey, datetime] = {}

    def get(self, key: ChatKey) -> Conversation | None:
        return copy.deepcopy(self._rows.get(key))

    def save(self, conversation: Conversation) -> None:
        self._rows[conversation.key] = copy.deepcopy(conversation)

    def delete(self, key: ChatKey) -> None:
        self._rows.pop(key, None)
        self._nudged.pop(key, None)

    def _waiting(self, flow: str, touched_after: datetime) -> list[Conversation]:
        return sorted((c for k, c in self._rows.items()
                       if c.flow == flow and c.updated_at > touched_after
                       and (k not in self._nudged or self._nudged[k] <= c.updated_at)),
                      key=lambda c: c.updated_at)

    def idle(self, flow: str, *, touched_after: datetime, touched_by: datetime,
             limit: int = 100) -> list[Conversation]:
        found = [c for c in self._waiting(flow, touched_after) if c.updated_at <= touched_by]
        return copy.deepcopy(found[:limit])

    def nudged(self, key: ChatKey, at: datetime) -> None:
        if key in self._rows:
            self._nudged[key] = at

    def next_idle_touch(self, flow: str, *, touched_after: datetime) -> datetime | None:
        return next((c.updated_at for c in self._waiting(flow, touched_after)), None)


class FakeInbox:
    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], datetime] = {}

    def first_time(self, channel: str, key: str, at: datetime) -> bool:
        if (channel, key) in self.seen:
            return False
        self.seen[(channel, key)] = at
        return True

    def handled(self, channel: str, key: str) -> bool:
        return (channel, key) in self.seen


class FakeOutbox:
    def __init__(self) -> None:
        self.queued: list[tuple[int, OutMessage, datetime]] = []
        self.pictures: dict[int, Picture] = {}

    def put(self, message: OutMessage, at: datetime, *, picture: Picture | None = None) -> int:
        message_id = len(self.queued) + 1
        self.queued.append((message_id, message, at))
        if picture is not None:
            self.pictures[message_id] = picture
        return message_id

    @property
    def messages(self) -> list[OutMessage]:
        return [message for _, message, _ in self.queued]


class FakeAuditLog:
    """Chains entries with the real `entry_hash`; `rows` is open to tests that tamper with it."""

    def __init__(self) -> None:
        self.rows: list[AuditEntry] = []

    def append(
        self, *, at: datetime, actor: str, action: str, subject: str, data: dict[str, Any]
    ) -> None:
        last = self.rows[-1] if self.rows else None
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
        # Keep exactly what a JSON column would give back, which is what gets hashed.
        clean = json.loads(json.dumps(data, ensure_ascii=False, default=str))
        at = at.astimezone(UTC)
        digest = entry_hash(prev, seq, at, actor, action, subject, clean)
        self.rows.append(AuditEntry(seq, at, actor, action, subject, clean, prev, digest))

    def entries(self) -> Iterator[AuditEntry]:
        yield from list(self.rows)

    def find(
        self, *, subject: str | None = None, since: datetime | None = None
    ) -> Iterator[AuditEntry]:
        yield from [
            e for e in self.rows
            if (subject is None or e.subject == subject) and (since is None or e.at >= since)
        ]


class FakeDirectory:
    def __init__(self) -> None:
        self.identities: dict[tuple[str, str], str] = {}
        self.languages: dict[str, str] = {}
        self.channels: dict[str, str] = {}

    def person_for(self, channel: str, external_id: str) -> str | None:
        return self.identities.get((channel, external_id))

    def bind(self, channel: str, external_id: str, person: str) -> None:
        self.identities[(channel, external_id)] = person

    def bind_all(self, bindings: Sequence[tuple[str, str, str]]) -> None:
        for channel, external_id, person in bindings:
            self.bind(channel, external_id, person)

    def addresses(self, person: str) -> dict[str, str]:
        return {ch: ext for (ch, ext), who in self.identities.items() if who == person}

    def last_channel(self, person: str) -> str | None:
        return self.channels.get(person)

    def touch(self, person: str, channel: str) -> None:
        self.channels[person] = channel

    def language(self, person: str) -> str | None:
        return self.languages.get(person)

    def set_language(self, person: str, lang: str) -> None:
        self.languages[person] = lang


class FakeInvites:
    def __init__(self) -> None:
        # token -> [person, expires_at, used_by]
        self.invites: dict[str, list[Any]] = {}

    def add(
        self, *, token: str, person: str, created_by: str, created_at: datetime,
        expires_at: datetime,
    ) -> None:
        if token in self.invites:
            raise ValueError(f"duplicate invite token {token}")
        self.invites[token] = [person, expires_at, None]

    def redeem(self, token: str, *, by: str, at: datetime) -> str | None:
        invite = self.invites.get(token)
        if invite is None or invite[2] is not None or invite[1] <= at:
            return None
        invite[2] = by
        return str(invite[0])


class FakeUnitOfWork:
    """Rolls back unless told to commit, like the SQL one; `committed` tells whether it was.
    Like the SQL one, it hands recorded events to the registry's subscribers before it commits."""

    def __init__(self, events: EventRegistry | None = None) -> None:
        self.events = events if events is not None else EventRegistry()
        self.recorded: list[object] = []
        self.tickets = FakeTicketRepository()
        self.chains = FakeChainRepository()
        self.conversations = FakeConversationRepository()
        self.inbox = FakeInbox()
        self.outbox = FakeOutbox()
        self.audit = FakeAuditLog()
        self.points = FakePointsLedger()
        self.shop = FakeShopBook()
        self.directory = FakeDirectory()
        self.invites = FakeInvites()
        self.majors = FakeMajorRegister(lambda: self.tickets.all())
        self.reminders = FakeReminderBook(lambda: self.tickets.all())
        self.committed = False
        self._snapshot = self._state()

    def _stores(self) -> tuple[object, ...]:
        return (
            self.tickets, self.chains, self.conversations, self.inbox, self.outbox, self.audit,
            self.points, self.shop, self.directory, self.invites, self.majors, self.reminders,
        )

    def _state(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(vars(store)) for store in self._stores()]

    def __enter__(self) -> Self:
        self.committed = False
        self._snapshot = self._state()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def record(self, event: object) -> None:
        self.recorded.append(event)

    def collect_new_events(self) -> list[object]:
        events, self.recorded = self.recorded, []
        return events

    def commit(self) -> None:
        self.events.dispatch(self)
        self.committed = True
        self._snapshot = self._state()

    def rollback(self) -> None:
        self.recorded.clear()
        for store, state in zip(self._stores(), self._snapshot, strict=True):
            vars(store).clear()
            vars(store).update(copy.deepcopy(state))


# --- a tiny plant: two maintenance teams under one department head, safety staff above


def make_plant(**changes: Any) -> Plant:
    """A small, consistent plant; pass fields of `Plant` to change it for one test."""
    base = Plant(
        name="测试工厂",
        site=Site(lat=31.318, lon=120.719),
        routing=Routing(
            default_team="MECH",
            rules=(
                RoutingRule(team="ELEC", category="electrical"),
                RoutingRule(team="ELEC", equipment_type="cabinet"),
                RoutingRule(team="MECH", category="mechanical"),
            ),
        ),
        departments=(
            Department(id="SAFETY", name="安全部", head="SM"),
            Department(id="EQUIP", name="设备部", head="DH-EQUIP"),
        ),
        teams=(
            Team(id="ELEC", name="电气维修班", department="EQUIP", lead="TL-ELEC"),
            Team(id="MECH", name="机械维修班", department="EQUIP", lead="TL-MECH"),
        ),
        people=(
            Person(id="W1", name="张伟", team="MECH"),
            Person(id="W2", name="刘洋"),
            Person(id="TL-ELEC", name="陈刚", roles=(Role.TEAM_LEAD,), team="ELEC"),
            Person(id="TL-MECH", name="赵磊", roles=(Role.TEAM_LEAD,), team="MECH"),
            Person(id="DH-EQUIP", name="孙强", roles=(Role.DEPARTMENT_HEAD,), department="EQUIP"),
            Person(id="SO1", name="李娜", roles=(Role.SAFETY_OFFICER,), department="SAFETY"),
            Person(id="SM", name="王建国", roles=(Role.SAFETY_MANAGER,), department="SAFETY"),
            Person(id="ADMIN", name="周敏", roles=(Role.ADMIN,)),
        ),
        areas=(
            Area(id="MACH", name="机加工车间", department="EQUIP"),
            Area(id="PAINT", name="喷涂车间", department="EQUIP"),
        ),
        equipment=(
            Equipment(code="CNC-07", name="加工中心", type="cnc", area="MACH"),
            Equipment(code="PDG-03", name="配电柜", type="cabinet", area="PAINT"),
        ),
        categories=(
            Category(id="electrical", name="电气"),
            Category(id="mechanical", name="机械"),
            Category(id="housekeeping", name="现场管理"),
        ),
    )
    return replace(base, **changes)


def report(
    uow: FakeUnitOfWork, plant: Plant, clock: SimClock, *, reporter: str = "W1",
    category: str = "mechanical", area: str = "MACH", urgency: Severity = Severity.GENERAL,
    equipment: str | None = None,
) -> Ticket:
    """Open a ticket through the real use case and return it as stored."""
    events = open_ticket(
        OpenTicket(
            reporter=reporter, area=area, category=category, urgency=urgency,
            description="防护罩缺失", photos=("a" * 64,), equipment=equipment,
        ),
        uow=uow, plant=plant, clock=clock,
    )
    ticket = uow.tickets.get(events[0].code)
    assert ticket is not None
    return ticket

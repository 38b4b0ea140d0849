"""The event registry in the running app: a module subscribes with one line, and the fix's
before/after picture travels through the outbox as what to draw, not as pixels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from core.events import ACTED, PointsChanged, TicketEscalated, TicketOpened, TicketResolved
from core.ports import UnitOfWork
from core.tickets import Action
from storage.tables import OutboxRow
from tests.chat import Chat, Said


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def fixed(chat: Chat) -> tuple[str, Said]:
    """A report that the mechanical team accepts, starts and fixes with an after photo."""
    code = chat.report().code
    after = chat.photo("after.jpg", (40, 200, 40))
    return code, chat.run("TL-MECH", "!press 1", "!press 1", "!press 1", f"!photo {after}")


def test_a_new_module_subscribed_to_ticket_resolved_hears_each_fix_once(chat: Chat) -> None:
    heard: list[object] = []

    def analytics(event: TicketResolved, uow: UnitOfWork) -> None:
        heard.append(event)

    chat.app.services.events.subscribe(TicketResolved, analytics)  # all a new module adds
    code, _ = fixed(chat)
    assert [(type(e), e.code, e.action) for e in heard] == [  # type: ignore[attr-defined]
        (TicketResolved, code, Action.DONE)
    ]
    chat.run("SO1", "!press 1")  # sign-off: another event, not for this subscriber
    assert len(heard) == 1


def test_every_ticket_event_has_someone_to_tell(chat: Chat) -> None:
    registry = chat.app.services.events
    for kind in (*ACTED.values(), TicketOpened, TicketEscalated, PointsChanged):
        assert registry.subscribers(kind), kind


def test_the_fix_notices_carry_what_to_draw_and_everyone_gets_one_drawn_picture(
    chat: Chat,
) -> None:
    code, said = fixed(chat)
    ticket = chat.ticket(code)
    with Session(chat.app.engine) as session:
        rows = list(session.exec(select(OutboxRow).where(col(OutboxRow.picture).is_not(None))))
    assert sorted(row.person or "" for row in rows) == ["SO1", "SO2", "W01"]
    assert all(row.payload["image"] is None for row in rows)  # nothing drawn at commit
    assert [row.picture for row in rows] == [{
        "kind": "before_after", "before": ticket.photos[0], "after": ticket.after_photo,
        "labels": rows[0].picture["labels"], "title": rows[0].picture["title"],  # type: ignore[index]
    }] * 3
    shown = {line for person in ("W01", "SO1", "SO2") for line in said.of(person) if "🖼" in line}
    assert len(shown) == 1  # one picture, drawn at delivery, for all three
    drawn = shown.pop().split()[1]
    assert drawn not in (ticket.photos[0][:12], (ticket.after_photo or "")[:12])

"""Conversation state per (channel, chat, sender), so a restart loses no half-told report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from core.dialog import ChatKey, Conversation, StoredRecord
from storage.tables import ConversationRow


class SqlConversationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def get(self, key: ChatKey) -> Conversation | None:
        row = self.session.get(ConversationRow, (key.channel, key.chat, key.sender))
        return None if row is None else _conversation(row)

    def save(self, conversation: Conversation) -> None:
        key = conversation.key
        row = self.session.get(ConversationRow, (key.channel, key.chat, key.sender))
        if row is None:
            row = ConversationRow(
                channel=key.channel, chat=key.chat, sender=key.sender,
                flow=conversation.flow, step=conversation.step,
            )
        row.flow, row.step, row.rev = conversation.flow, conversation.step, conversation.rev
        row.data = conversation.data.to_data()
        row.updated_at = conversation.updated_at
        self.session.add(row)

    def delete(self, key: ChatKey) -> None:
        row = self.session.get(ConversationRow, (key.channel, key.chat, key.sender))
        if row is not None:
            self.session.delete(row)

    def idle(self, flow: str, *, touched_after: datetime, touched_by: datetime,
             limit: int = 100) -> list[Conversation]:
        query = (
            select(ConversationRow)
            .where(*_not_nudged(flow, touched_after), col(ConversationRow.updated_at) <= touched_by)
            .order_by(col(ConversationRow.updated_at), col(ConversationRow.channel),
                      col(ConversationRow.chat), col(ConversationRow.sender))
            .limit(limit)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        return [_conversation(row) for row in self.session.exec(query)]

    def nudged(self, key: ChatKey, at: datetime) -> None:
        row = self.session.get(ConversationRow, (key.channel, key.chat, key.sender))
        if row is not None:
            row.nudged_at = at  # only this column: the touch (updated_at) stays the person's
            self.session.add(row)

    def next_idle_touch(self, flow: str, *, touched_after: datetime) -> datetime | None:
        query = select(func.min(ConversationRow.updated_at)).where(
            *_not_nudged(flow, touched_after))
        return self.session.exec(query).one()


def _not_nudged(flow: str, touched_after: datetime) -> list[ColumnElement[bool]]:
    """Conversations of a flow touched after an instant, not nudged since their last touch."""
    nudged_at, updated_at = col(ConversationRow.nudged_at), col(ConversationRow.updated_at)
    return [
        col(ConversationRow.flow) == flow,
        updated_at > touched_after,
        # A nudge comes strictly after the touch it is about; a touch at the nudge's very
        # instant (a simulated clock) starts a new idle period.
        or_(nudged_at.is_(None), nudged_at <= updated_at),
    ]


def _conversation(row: ConversationRow) -> Conversation:
    return Conversation(
        key=ChatKey(row.channel, row.chat, row.sender), flow=row.flow, step=row.step,
        updated_at=row.updated_at,
        data=StoredRecord.from_data(row.data if isinstance(row.data, dict) else {}), rev=row.rev,
    )

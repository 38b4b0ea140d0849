"""Conversation state per (channel, chat, sender), so a restart loses no half-told report."""

from __future__ import annotations

from sqlmodel import Session

from core.dialog import ChatKey, Conversation, StoredRecord
from storage.tables import ConversationRow


class SqlConversationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: ChatKey) -> Conversation | None:
        row = self.session.get(ConversationRow, (key.channel, key.chat, key.sender))
        if row is None:
            return None
        return Conversation(
            key=key, flow=row.flow, step=row.step, updated_at=row.updated_at,
            data=StoredRecord.from_data(row.data if isinstance(row.data, dict) else {}),
            rev=row.rev,
        )

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

"""Starting and ending conversations, shared by every flow."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from core.buttons import LinkButton, encode
from core.dialog import ChatKey, Conversation, Flow, Record
from handlers.context import Turn

S = TypeVar("S", bound=Enum)
R = TypeVar("R", bound=Record)


def chat_key(turn: Turn) -> ChatKey:
    event = turn.event
    return ChatKey(event.channel, event.chat, event.sender)


def start_flow(
    turn: Turn, flow: Flow[S, Turn, R], *, at: S | None = None, record: R | None = None,
) -> None:
    """Replace whatever conversation this chat had with a new one of `flow`, holding `record`
    (by default the flow's empty record)."""
    turn.conversation = Conversation(
        key=chat_key(turn), flow=flow.name, step="", updated_at=turn.services.clock.now(),
        data=flow.record() if record is None else record, rev=1,
    )
    flow.begin(turn, at)
    save_or_end(turn, ended=False)


def save_or_end(turn: Turn, *, ended: bool) -> None:
    if ended:
        turn.uow.conversations.delete(turn.conversation.key)
    else:
        turn.conversation.updated_at = turn.services.clock.now()
        turn.uow.conversations.save(turn.conversation)


def hand_off_to_dm(turn: Turn, name: str, key: str = "group.use_dm") -> None:
    """Group chats stay quiet: the conversation itself happens in a direct chat, which the
    button opens with `/start name`."""
    link = turn.services.dm_links.get(turn.event.channel)
    buttons = [("button.open_dm", encode(LinkButton(f"{link}?start={name}")))] if link else []
    turn.reply(key, buttons=buttons)

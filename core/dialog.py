"""The dialog engine: neutral incoming events, persisted conversations and step tables.

A flow is a table of steps keyed by an Enum. Each step asks one thing and takes
one answer; the engine keeps the conversation's step and revision so that a
button from an earlier step (or a replayed press) is recognised as stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Any, Generic, Protocol, TypeVar

from core.geo import GeoPoint


class EventKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    PHOTO = "photo"
    DOCUMENT = "document"
    LOCATION = "location"
    BUTTON = "button"
    CONTACT = "contact"
    OTHER = "other"


@dataclass(frozen=True)
class Attachment:
    """A file from the user; `data` is None when the channel refused to fetch it for its size."""

    data: bytes | None
    size: int
    name: str = ""
    mime: str = ""


@dataclass(frozen=True)
class Incoming:
    channel: str
    chat: str
    sender: str
    kind: EventKind
    update_key: str = ""
    text: str = ""
    command: str = ""
    args: str = ""
    attachment: Attachment | None = None
    location: GeoPoint | None = None
    button: str = ""
    handle: str = ""
    is_group: bool = False
    forwarded: bool = False
    phone: str = ""
    sender_name: str = ""


@dataclass(frozen=True)
class ChatKey:
    channel: str
    chat: str
    sender: str


@dataclass
class Conversation:
    key: ChatKey
    flow: str
    step: str
    updated_at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    rev: int = 0

    def expired(self, now: datetime, timeout: timedelta) -> bool:
        return now - self.updated_at > timeout


S = TypeVar("S", bound=Enum)
C = TypeVar("C", bound="DialogContext")


class DialogContext(Protocol):
    conversation: Conversation


# A step's `take` returns the next state, END, or STAY (after telling the user why).
END = "__end__"
STAY = "__stay__"


@dataclass(frozen=True)
class Step(Generic[C]):
    ask: Callable[[C], None]
    take: Callable[[C, Incoming], str]


@dataclass(frozen=True)
class Flow(Generic[S, C]):
    name: str
    states: type[S]
    start: S
    steps: Mapping[S, Step[C]]
    timeout: timedelta = timedelta(minutes=30)

    def begin(self, ctx: C, at: S | None = None) -> None:
        step = self.start if at is None else at
        ctx.conversation.step = step.name
        self.steps[step].ask(ctx)

    def advance(self, ctx: C, event: Incoming) -> bool:
        """Feed one event to the current step; False once the flow has ended."""
        conversation = ctx.conversation
        step = self.steps[self.states[conversation.step]]
        outcome = step.take(ctx, event)
        if outcome == END:
            return False
        if outcome != STAY:
            conversation.step = self.states[outcome].name
            conversation.rev += 1
            self.steps[self.states[outcome]].ask(ctx)
        return True


def button_data(rev: int, value: str) -> str:
    """Short opaque data for a dialog button, bound to the conversation revision that showed it."""
    return f"d:{rev}:{value}"


def parse_button(data: str) -> tuple[int, str] | None:
    prefix, _, rest = data.partition(":")
    rev, _, value = rest.partition(":")
    if prefix != "d" or not rev.isdigit() or not value:
        return None
    return int(rev), value

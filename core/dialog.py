"""The dialog engine: neutral incoming events, persisted conversations and step tables.

A flow is a table of steps keyed by an Enum. Each step asks one thing and takes
one answer, returning the next state (or END, or STAY); the engine keeps the
conversation's step and revision so that a button from an earlier step (or a
replayed press) is recognised as stale. What a conversation gathers is a typed
record per flow, stored as JSON and read back by the flow that owns it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum, StrEnum
from typing import Any, Final, Generic, Protocol, Self, TypeVar

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
    # When the platform says the message was sent (None: it did not say); a check-in wants
    # a location sent just now, unless it is `live` (a location the phone keeps updating).
    sent_at: datetime | None = None
    live: bool = False


@dataclass(frozen=True)
class ChatKey:
    channel: str
    chat: str
    sender: str


class BadRecord(ValueError):
    """A stored record its flow cannot read: saved by another version, or damaged."""


@dataclass(frozen=True)
class Offered:
    """The buttons a step offered, as (label as shown, value), at the revision that showed them."""

    rev: int
    choices: tuple[tuple[str, str], ...]

    def to_data(self) -> dict[str, Any]:
        return {"rev": self.rev, "choices": [list(choice) for choice in self.choices]}

    @classmethod
    def from_data(cls, data: object) -> Offered | None:
        """None for anything that is not an offer as `to_data` writes it."""
        if not isinstance(data, dict) or type(data.get("rev")) is not int:
            return None
        pairs = data.get("choices")
        if not isinstance(pairs, list):
            return None
        return cls(data["rev"], tuple(
            (str(pair[0]), str(pair[1])) for pair in pairs
            if isinstance(pair, list | tuple) and len(pair) == 2
        ))


@dataclass(kw_only=True)
class Record:
    """What a conversation has gathered; each flow's record adds its own fields.

    Stored as a JSON object: `to_data` writes it, `from_data` reads it back, leaving out
    what it cannot read, so a record saved by an earlier version still loads.
    """

    offered: Offered | None = None

    def to_data(self) -> dict[str, Any]:
        return {"offered": self.offered.to_data()} if self.offered else {}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """Read a stored record; raises BadRecord when what the flow needs is not there."""
        return cls(offered=Offered.from_data(data.get("offered")))


@dataclass(kw_only=True)
class StoredRecord(Record):
    """A record as the database holds it, until its flow reads it as its own type."""

    data: dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        return {**self.data, **super().to_data()}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(offered=Offered.from_data(data.get("offered")), data=dict(data))


@dataclass
class Conversation:
    key: ChatKey
    flow: str
    step: str
    updated_at: datetime
    data: Record = field(default_factory=Record)
    rev: int = 0

    def expired(self, now: datetime, timeout: timedelta) -> bool:
        return now - self.updated_at > timeout


S = TypeVar("S", bound=Enum)
C = TypeVar("C", bound="DialogContext")
R = TypeVar("R", bound=Record)


class DialogContext(Protocol):
    conversation: Conversation


class Outcome(Enum):
    """What a step may return besides the next state."""

    END = "end"  # the flow is over
    STAY = "stay"  # the answer was not taken (the step told the user why); ask nothing new


END: Final = Outcome.END
STAY: Final = Outcome.STAY


@dataclass(frozen=True)
class Step(Generic[S, C]):
    ask: Callable[[C], None]
    take: Callable[[C, Incoming], S | Outcome]


@dataclass(frozen=True)
class Flow(Generic[S, C, R]):
    name: str
    states: type[S]
    start: S
    steps: Mapping[S, Step[S, C]]
    record: type[R]
    timeout: timedelta = timedelta(minutes=30)

    def begin(self, ctx: C, at: S | None = None) -> None:
        step = self.start if at is None else at
        ctx.conversation.step = step.name
        self.steps[step].ask(ctx)

    def resume(self, conversation: Conversation) -> bool:
        """Read a stored conversation as this flow's; False when this version cannot (a step
        it no longer has, a record it cannot read), and the conversation should end."""
        if self.state_of(conversation) is None:
            return False
        try:
            self._read(conversation)
        except BadRecord:
            return False
        return True

    def state_of(self, conversation: Conversation) -> S | None:
        return self.states.__members__.get(conversation.step)

    def record_of(self, ctx: C) -> R:
        """The conversation's record, as this flow's type."""
        return self._read(ctx.conversation)

    def _read(self, conversation: Conversation) -> R:
        data = conversation.data
        if not isinstance(data, self.record):
            data = self.record.from_data(data.to_data())
            conversation.data = data
        return data

    def advance(self, ctx: C, event: Incoming) -> bool:
        """Feed one event to the current step; False once the flow has ended."""
        conversation = ctx.conversation
        state = self.state_of(conversation)
        if state is None:
            raise BadRecord(f"{self.name} has no step {conversation.step!r}")
        outcome = self.steps[state].take(ctx, event)
        if outcome is Outcome.END:
            return False
        if outcome is not Outcome.STAY:
            if outcome not in self.steps:
                raise ValueError(f"{self.name} has no step {outcome!r}")
            conversation.step = outcome.name
            conversation.rev += 1
            self.steps[outcome].ask(ctx)
        return True


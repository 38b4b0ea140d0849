"""The dialog engine: steps advance, stay or end, and stale buttons are recognisable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from typing import Any, Self

import pytest

from core.buttons import DialogButton, decode, encode
from core.dialog import (
    END,
    STAY,
    BadRecord,
    ChatKey,
    Conversation,
    EventKind,
    Flow,
    Incoming,
    Offered,
    Outcome,
    Record,
    Step,
    StoredRecord,
)
from tests.unit.core.fakes import T0, FakeConversationRepository

KEY = ChatKey(channel="terminal", chat="c1", sender="W1")


class Ask(Enum):
    NAME = "name"
    AGE = "age"
    CONFIRM = "confirm"


@dataclass(kw_only=True)
class Signup(Record):
    name: str = ""
    age: int | None = None

    def to_data(self) -> dict[str, Any]:
        return {**super().to_data(), "name": self.name, "age": self.age}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        name, age = data.get("name"), data.get("age")
        if not isinstance(name, str):
            raise BadRecord("no name")
        return cls(offered=Offered.from_data(data.get("offered")), name=name,
                   age=age if isinstance(age, int) else None)


@dataclass
class Ctx:
    conversation: Conversation
    asked: list[str] = field(default_factory=list)


def signup(ctx: Ctx) -> Signup:
    return FLOW.record_of(ctx)


def _take_name(ctx: Ctx, event: Incoming) -> Ask | Outcome:
    if not event.text.strip():
        ctx.asked.append("name_invalid")
        return STAY
    signup(ctx).name = event.text.strip()
    return Ask.AGE


def _take_age(ctx: Ctx, event: Incoming) -> Ask | Outcome:
    if not event.text.isdigit():
        return STAY
    signup(ctx).age = int(event.text)
    return Ask.CONFIRM


def _take_confirm(ctx: Ctx, event: Incoming) -> Ask | Outcome:
    pressed = decode(event.button)
    if not isinstance(pressed, DialogButton) or pressed.rev != ctx.conversation.rev:
        ctx.asked.append("stale")
        return STAY
    return END if pressed.value == "yes" else Ask.NAME


FLOW: Flow[Ask, Ctx, Signup] = Flow(
    name="signup",
    states=Ask,
    start=Ask.NAME,
    record=Signup,
    steps={
        Ask.NAME: Step(ask=lambda ctx: ctx.asked.append("name"), take=_take_name),
        Ask.AGE: Step(ask=lambda ctx: ctx.asked.append("age"), take=_take_age),
        Ask.CONFIRM: Step(ask=lambda ctx: ctx.asked.append("confirm"), take=_take_confirm),
    },
)


def text(value: str) -> Incoming:
    return Incoming(channel="terminal", chat="c1", sender="W1", kind=EventKind.TEXT, text=value)


def press(data: str) -> Incoming:
    return Incoming(channel="terminal", chat="c1", sender="W1", kind=EventKind.BUTTON, button=data)


def button_data(rev: int, value: str) -> str:
    return encode(DialogButton(rev, value))


@pytest.fixture
def ctx() -> Ctx:
    ctx = Ctx(Conversation(key=KEY, flow="signup", step="", updated_at=T0, data=Signup()))
    FLOW.begin(ctx)
    return ctx


def test_beginning_a_flow_asks_its_first_question(ctx: Ctx) -> None:
    assert ctx.conversation.step == "NAME"
    assert ctx.asked == ["name"]
    assert ctx.conversation.rev == 0


def test_a_flow_can_begin_at_a_later_step() -> None:
    ctx = Ctx(Conversation(key=KEY, flow="signup", step="", updated_at=T0, data=Signup()))
    FLOW.begin(ctx, at=Ask.AGE)
    assert (ctx.conversation.step, ctx.asked) == ("AGE", ["age"])


def test_a_good_answer_advances_to_the_next_step_and_asks_it(ctx: Ctx) -> None:
    assert FLOW.advance(ctx, text("张伟")) is True
    assert ctx.conversation.step == "AGE"
    assert ctx.conversation.rev == 1
    assert ctx.conversation.data == Signup(name="张伟")
    assert ctx.asked == ["name", "age"]


def test_a_bad_answer_stays_on_the_step_without_asking_again(ctx: Ctx) -> None:
    assert FLOW.advance(ctx, text("   ")) is True
    assert (ctx.conversation.step, ctx.conversation.rev) == ("NAME", 0)
    assert ctx.asked == ["name", "name_invalid"]


def test_the_last_answer_ends_the_flow(ctx: Ctx) -> None:
    FLOW.advance(ctx, text("张伟"))
    FLOW.advance(ctx, text("30"))
    assert FLOW.advance(ctx, press(button_data(ctx.conversation.rev, "yes"))) is False
    assert ctx.conversation.data == Signup(name="张伟", age=30)


def test_a_step_may_send_the_flow_back_to_an_earlier_step(ctx: Ctx) -> None:
    FLOW.advance(ctx, text("张伟"))
    FLOW.advance(ctx, text("30"))
    assert FLOW.advance(ctx, press(button_data(ctx.conversation.rev, "no"))) is True
    assert (ctx.conversation.step, ctx.conversation.rev) == ("NAME", 3)


def test_a_button_from_an_earlier_revision_is_recognised_as_stale(ctx: Ctx) -> None:
    FLOW.advance(ctx, text("张伟"))
    FLOW.advance(ctx, text("30"))
    old = button_data(ctx.conversation.rev - 1, "yes")
    assert FLOW.advance(ctx, press(old)) is True
    assert ctx.conversation.step == "CONFIRM"
    assert ctx.asked[-1] == "stale"


def test_steps_name_the_next_state_by_its_enum_member_not_by_a_string(ctx: Ctx) -> None:
    def by_name(ctx: Ctx, event: Incoming) -> Any:
        return Ask.AGE.name

    flow: Flow[Ask, Ctx, Signup] = Flow(
        name="signup", states=Ask, start=Ask.NAME, record=Signup,
        steps={**FLOW.steps, Ask.NAME: Step(ask=lambda ctx: None, take=by_name)},
    )
    with pytest.raises(ValueError, match="no step"):
        flow.advance(ctx, text("张伟"))
    assert (ctx.conversation.step, ctx.conversation.rev) == ("NAME", 0)


def test_a_stored_conversation_is_read_back_as_its_flows_record() -> None:
    stored = StoredRecord.from_data({"name": "张伟", "age": 30, "shoe_size": 42,
                                     "offered": {"rev": 2, "choices": [["是", "yes"]]}})
    conversation = Conversation(key=KEY, flow="signup", step="CONFIRM", updated_at=T0,
                                data=stored, rev=2)
    assert FLOW.resume(conversation) is True
    assert conversation.data == Signup(name="张伟", age=30, offered=Offered(2, (("是", "yes"),)))


@pytest.mark.parametrize("step, data", [
    ("SHOE_SIZE", {"name": "张伟"}),  # a step this version no longer has
    ("AGE", {"name": ["张伟"]}),  # a record it cannot read
])
def test_a_stored_conversation_this_version_cannot_read_does_not_resume(
    step: str, data: dict[str, Any]
) -> None:
    conversation = Conversation(key=KEY, flow="signup", step=step, updated_at=T0,
                                data=StoredRecord.from_data(data))
    assert FLOW.resume(conversation) is False


def test_a_conversation_expires_after_its_timeout() -> None:
    conversation = Conversation(key=KEY, flow="signup", step="NAME", updated_at=T0)
    assert not conversation.expired(T0 + FLOW.timeout, FLOW.timeout)
    assert conversation.expired(T0 + FLOW.timeout + timedelta(seconds=1), FLOW.timeout)


def test_a_saved_conversation_is_a_copy_until_saved_again() -> None:
    repo = FakeConversationRepository()
    conversation = Conversation(key=KEY, flow="signup", step="NAME", updated_at=T0,
                                data=Signup())
    repo.save(conversation)
    signup(Ctx(conversation)).name = "张伟"
    stored = repo.get(KEY)
    assert stored is not None and stored.data == Signup()
    repo.delete(KEY)
    assert repo.get(KEY) is None

"""The dialog engine: steps advance, stay or end, and stale buttons are recognisable."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum

import pytest

from core.dialog import (
    END,
    STAY,
    ChatKey,
    Conversation,
    EventKind,
    Flow,
    Incoming,
    Step,
    button_data,
    parse_button,
)
from tests.unit.core.fakes import T0, FakeConversationRepository

KEY = ChatKey(channel="terminal", chat="c1", sender="W1")


class Ask(Enum):
    NAME = "name"
    AGE = "age"
    CONFIRM = "confirm"


@dataclass
class Ctx:
    conversation: Conversation
    asked: list[str] = field(default_factory=list)


def _take_name(ctx: Ctx, event: Incoming) -> str:
    if not event.text.strip():
        ctx.asked.append("name_invalid")
        return STAY
    ctx.conversation.data["name"] = event.text.strip()
    return Ask.AGE.name


def _take_age(ctx: Ctx, event: Incoming) -> str:
    if not event.text.isdigit():
        return STAY
    ctx.conversation.data["age"] = int(event.text)
    return Ask.CONFIRM.name


def _take_confirm(ctx: Ctx, event: Incoming) -> str:
    pressed = parse_button(event.button)
    if pressed is None or pressed[0] != ctx.conversation.rev:
        ctx.asked.append("stale")
        return STAY
    return END if pressed[1] == "yes" else Ask.NAME.name


FLOW: Flow[Ask, Ctx] = Flow(
    name="signup",
    states=Ask,
    start=Ask.NAME,
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


@pytest.fixture
def ctx() -> Ctx:
    ctx = Ctx(Conversation(key=KEY, flow="signup", step="", updated_at=T0))
    FLOW.begin(ctx)
    return ctx


def test_beginning_a_flow_asks_its_first_question(ctx: Ctx) -> None:
    assert ctx.conversation.step == "NAME"
    assert ctx.asked == ["name"]
    assert ctx.conversation.rev == 0


def test_a_flow_can_begin_at_a_later_step() -> None:
    ctx = Ctx(Conversation(key=KEY, flow="signup", step="", updated_at=T0))
    FLOW.begin(ctx, at=Ask.AGE)
    assert (ctx.conversation.step, ctx.asked) == ("AGE", ["age"])


def test_a_good_answer_advances_to_the_next_step_and_asks_it(ctx: Ctx) -> None:
    assert FLOW.advance(ctx, text("张伟")) is True
    assert ctx.conversation.step == "AGE"
    assert ctx.conversation.rev == 1
    assert ctx.conversation.data == {"name": "张伟"}
    assert ctx.asked == ["name", "age"]


def test_a_bad_answer_stays_on_the_step_without_asking_again(ctx: Ctx) -> None:
    assert FLOW.advance(ctx, text("   ")) is True
    assert (ctx.conversation.step, ctx.conversation.rev) == ("NAME", 0)
    assert ctx.asked == ["name", "name_invalid"]


def test_the_last_answer_ends_the_flow(ctx: Ctx) -> None:
    FLOW.advance(ctx, text("张伟"))
    FLOW.advance(ctx, text("30"))
    assert FLOW.advance(ctx, press(button_data(ctx.conversation.rev, "yes"))) is False
    assert ctx.conversation.data == {"name": "张伟", "age": 30}


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


def test_button_data_round_trips_through_parse_button() -> None:
    data = button_data(7, "ELEC")
    assert data == "d:7:ELEC"
    assert parse_button(data) == (7, "ELEC")
    assert parse_button("d:7:a:b") == (7, "a:b")


@pytest.mark.parametrize("data", ["", "d", "d:7", "d:7:", "d:x:ELEC", "t:7:ELEC", "d:-1:ELEC"])
def test_malformed_button_data_parses_to_nothing(data: str) -> None:
    assert parse_button(data) is None


def test_a_conversation_expires_after_its_timeout() -> None:
    conversation = Conversation(key=KEY, flow="signup", step="NAME", updated_at=T0)
    assert not conversation.expired(T0 + FLOW.timeout, FLOW.timeout)
    assert conversation.expired(T0 + FLOW.timeout + timedelta(seconds=1), FLOW.timeout)


def test_a_saved_conversation_is_a_copy_until_saved_again() -> None:
    repo = FakeConversationRepository()
    conversation = Conversation(key=KEY, flow="signup", step="NAME", updated_at=T0)
    repo.save(conversation)
    conversation.data["name"] = "张伟"
    stored = repo.get(KEY)
    assert stored is not None and stored.data == {}
    repo.delete(KEY)
    assert repo.get(KEY) is None

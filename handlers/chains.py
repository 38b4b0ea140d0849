"""A chain step's buttons: confirm (with a promised time), done (with a note or a photo),
hand over (to someone of the same department). See chains.mmd.

Every press is re-checked against the step as it is now: only its holder moves it, a step
waiting for others or already finished does not move, and a replayed press finds the step
moved on. Whatever is refused changes nothing and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Self

from core.buttons import StepButton
from core.chain_rules import colleagues
from core.chain_services import (
    ConfirmStep,
    FinishStep,
    HandOverStep,
    check_step,
    confirm_step,
    finish_step,
    hand_over_step,
)
from core.chains import ChainStep, StepRefused, StepVerb
from core.dialog import (
    END,
    STAY,
    BadRecord,
    EventKind,
    Flow,
    Incoming,
    Offered,
    Outcome,
    Record,
    Step,
)
from core.plant import Person
from handlers import choices, photos, render
from handlers.chain_render import step_buttons, step_title
from handlers.context import Turn
from handlers.flows import start_flow
from handlers.promises import promised_at
from handlers.ticket_actions import in_private

NOTE_CHARS = (2, 500)
PROMISES = (("chain.promise.2h", "2h"), ("chain.promise.4h", "4h"),
            ("chain.promise.8h", "8h"), ("chain.promise.24h", "24h"))


class StepFollowUp(Enum):
    PROMISE = "promise"
    NOTE = "note"
    HAND_OVER = "hand_over"


ASKS = {StepVerb.CONFIRM: StepFollowUp.PROMISE, StepVerb.DONE: StepFollowUp.NOTE,
        StepVerb.HAND_OVER: StepFollowUp.HAND_OVER}
Next = StepFollowUp | Outcome


@dataclass(kw_only=True)
class StepDraft(Record):
    """The press being completed: which step, and what to do with it."""

    step: int
    verb: StepVerb

    def to_data(self) -> dict[str, Any]:
        return {**super().to_data(), "step": self.step, "verb": self.verb.value}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        step, verb = data.get("step"), data.get("verb")
        if type(step) is not int or not isinstance(verb, str) or verb not in set(StepVerb):
            raise BadRecord(f"a step follow-up without its step: {dict(data)!r:.200}")
        return cls(offered=Offered.from_data(data.get("offered")), step=step,
                   verb=StepVerb(verb))


def press(turn: Turn, pressed: StepButton) -> None:
    try:
        step = check_step(turn.uow, pressed.step, turn.person.id, pressed.verb)
    except StepRefused as refused:
        turn.reply(f"chain.refused.{refused.reason}")
        return
    if pressed.verb is StepVerb.HAND_OVER and not colleagues(turn.plant, step):
        turn.reply("chain.handover_nobody")
        return
    start_flow(in_private(turn), STEP_FOLLOW_UP, at=ASKS[pressed.verb],
               record=StepDraft(step=pressed.step, verb=pressed.verb))


def _draft(turn: Turn) -> StepDraft:
    return STEP_FOLLOW_UP.record_of(turn)


def _current(turn: Turn) -> ChainStep | None:
    """The step as it is now, if the presser may still do what they pressed; else None,
    after saying why (it may have moved on while they were typing)."""
    draft = _draft(turn)
    try:
        return check_step(turn.uow, draft.step, turn.person.id, draft.verb)
    except StepRefused as refused:
        turn.reply(f"chain.refused.{refused.reason}")
        return None


def _title(turn: Turn, step: ChainStep) -> str:
    return step_title(turn.plant, step, turn.lang)


def _ask_promise(turn: Turn) -> None:
    step = _current(turn)
    if step is not None:
        choices.offer(turn, "chain.ask_promise", PROMISES, step=_title(turn, step))


def _take_promise(turn: Turn, event: Incoming) -> Next:
    choice = choices.choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            choices.refuse(turn, "chain.promise_invalid")
        return STAY
    now = turn.services.clock.now()
    at = promised_at(choice, now, turn.plant.timezone)
    if at is None:
        choices.refuse(turn, "chain.promise_invalid")
        return STAY
    try:
        step = confirm_step(ConfirmStep(_draft(turn).step, turn.person.id, at),
                            uow=turn.uow, plant=turn.plant, clock=turn.services.clock)
    except StepRefused as refused:
        turn.reply(f"chain.refused.{refused.reason}")
        return END
    # Done and hand over on the answer: the task's own buttons may be far up the chat.
    turn.reply("chain.confirmed", buttons=step_buttons(step), step=_title(turn, step),
               promised=render.local_time(turn.plant, at))
    return END


def _ask_note(turn: Turn) -> None:
    step = _current(turn)
    if step is not None:
        turn.reply("chain.ask_done", step=_title(turn, step))


def _take_note(turn: Turn, event: Incoming) -> Next:
    note, photo = None, None
    if event.kind in (EventKind.PHOTO, EventKind.DOCUMENT):
        stored = photos.accept(turn, event)
        if stored is None:
            return STAY
        photo = stored.sha256
    else:
        note = event.text.strip()
        low, high = NOTE_CHARS
        if event.kind is not EventKind.TEXT or not low <= len(note) <= high:
            turn.reply("chain.done_invalid")
            return STAY
    try:
        step = finish_step(FinishStep(_draft(turn).step, turn.person.id, note, photo),
                           uow=turn.uow, plant=turn.plant, clock=turn.services.clock)
    except StepRefused as refused:
        turn.reply(f"chain.refused.{refused.reason}")
        return END
    turn.reply("chain.done", step=_title(turn, step))
    return END


def _ask_hand_over(turn: Turn) -> None:
    step = _current(turn)
    if step is not None:
        people = [(render.person_name(turn.plant, p.id), p.id)
                  for p in colleagues(turn.plant, step)]
        choices.offer(turn, "chain.ask_handover", people, step=_title(turn, step))


def _take_hand_over(turn: Turn, event: Incoming) -> Next:
    choice = choices.choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            choices.refuse(turn, "chain.handover_invalid")
        return STAY
    step = _current(turn)
    if step is None:
        return END
    person = _colleague(turn, step, choice)
    if person is None:
        choices.refuse(turn, "chain.handover_invalid")
        return STAY
    try:
        step = hand_over_step(HandOverStep(_draft(turn).step, turn.person.id, person.id),
                              uow=turn.uow, plant=turn.plant, clock=turn.services.clock)
    except StepRefused as refused:
        turn.reply(f"chain.refused.{refused.reason}")
        return END
    turn.reply("chain.handed", step=_title(turn, step),
               person=render.person_name(turn.plant, person.id))
    return END


def _colleague(turn: Turn, step: ChainStep, typed: str) -> Person | None:
    """Someone the step may go to, by id or name, as offered or typed."""
    wanted = typed.strip().casefold()
    return next((p for p in colleagues(turn.plant, step)
                 if wanted in (p.id.casefold(), p.name.casefold())), None)


STEP_FOLLOW_UP: Flow[StepFollowUp, Turn, StepDraft] = Flow(
    name="chain_step",
    states=StepFollowUp,
    start=StepFollowUp.PROMISE,
    record=StepDraft,
    steps={
        StepFollowUp.PROMISE: Step(_ask_promise, _take_promise),
        StepFollowUp.NOTE: Step(_ask_note, _take_note),
        StepFollowUp.HAND_OVER: Step(_ask_hand_over, _take_hand_over),
    },
)

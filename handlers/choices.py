"""Questions answered by a button, or by typing the button's label or number.

A step `offer`s its buttons; what they offer is kept in the conversation (so it
survives a restart), and `choose` turns a press, a typed label or a typed number
into the button's value. `refuse` answers a wrong choice with the same buttons
again, because a chat client that lost the old message has nothing left to press.
A pressed dialog card has served: `mark_served` has it show the choice instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from core.buttons import DialogButton, decode, encode
from core.dialog import Conversation, EventKind, Incoming, Offered
from core.messages import Button, OutMessage
from handlers.context import ButtonSpec, Turn
from handlers.i18n import label, t


def offer(
    turn: Turn, key: str, choices: Sequence[ButtonSpec], *, image: str | None = None,
    **values: object,
) -> None:
    """Ask `key` with one button per (catalog key or plain label, value), and remember them."""
    rev = turn.conversation.rev
    shown = tuple((label(turn.lang, text), value) for text, value in choices)
    turn.conversation.data.offered = Offered(rev, shown)
    buttons = [(text, encode(DialogButton(rev, value))) for text, value in choices]
    _reply(turn, key, buttons, image=image, values=values)


def offered(turn: Turn) -> list[tuple[str, str]]:
    """The (label as shown, value) pairs offered on the current step; none for an older step."""
    return _offered(turn.conversation, turn.conversation.rev)


def _offered(conversation: Conversation, rev: int) -> list[tuple[str, str]]:
    record = conversation.data.offered
    if record is None or record.rev != rev or rev != conversation.rev:
        return []
    return list(record.choices)


def refuse(turn: Turn, key: str, **values: object) -> None:
    """Say why the answer was not taken, with the step's buttons shown again."""
    rev = turn.conversation.rev
    buttons = [(shown, encode(DialogButton(rev, value))) for shown, value in offered(turn)]
    _reply(turn, key, buttons, values=values)


def _reply(
    turn: Turn, key: str, buttons: Sequence[ButtonSpec], *, image: str | None = None,
    values: Mapping[str, object],
) -> None:
    # Turn.reply takes template values as typed keywords; passed on, they must be a mapping.
    event = turn.event
    turn.notify.to_chat(event.channel, event.chat, turn.lang, key, person=turn.person.id,
                        buttons=buttons, image=image, values=values)


def choose(turn: Turn, event: Incoming) -> str | None:
    """The value chosen by a current button, a typed label or number; else the typed text.

    None for anything that is neither text nor a button, and for a stale button
    (after saying so).
    """
    if event.kind is EventKind.BUTTON:
        pressed = decode(event.button)
        if not isinstance(pressed, DialogButton) or pressed.rev != turn.conversation.rev:
            turn.reply("button.stale")
            return None
        return pressed.value
    if event.kind is not EventKind.TEXT:
        return None
    typed = event.text.strip()
    choices = offered(turn)
    wanted = typed.casefold()
    for shown, value in choices:
        if shown.strip().casefold() == wanted:
            return value
    if typed.isdecimal() and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1][1]
    return typed


def mark_served(turn: Turn, conversation: Conversation | None) -> None:
    """A dialog card has served once a button on it was pressed, current or stale: the
    message pressed shows the choice instead of its buttons, on every channel.

    The edit keeps the message's text and carries one button, the choice with its data;
    each channel renders that as it can (WeCom greys the card out with the label,
    Telegram swaps the keyboard, the terminal's printed lines stay as they are).
    """
    event = turn.event
    if event.kind is not EventKind.BUTTON or not event.handle:
        return
    pressed = decode(event.button)
    if not isinstance(pressed, DialogButton):
        return
    shown = event.text.strip() or _shown_label(conversation, pressed)
    stamp = Button(t(turn.lang, "choice.chosen", label=shown).strip(), event.button)
    message = OutMessage(channel=event.channel, address=event.chat, text="",
                         person=turn.person.id, buttons=(stamp,), edit=event.handle)
    turn.uow.outbox.put(message, turn.services.clock.now())


def _shown_label(conversation: Conversation | None, pressed: DialogButton) -> str:
    """The label a button had, when its channel did not say: known for the current step."""
    choices = _offered(conversation, pressed.rev) if conversation is not None else []
    return next((shown for shown, value in choices if value == pressed.value), "")

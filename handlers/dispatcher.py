"""The one entry point for every incoming event, from every channel.

Deduplicates the update, works out who is talking, and hands the event to a
command, a ticket button or the running conversation, all in one transaction
whose outgoing messages are committed with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from core.buttons import (
    DialogButton,
    OrderButton,
    PageButton,
    PlanButton,
    RankButton,
    StepButton,
    TicketButton,
    ViewButton,
    WatchButton,
    decode,
)
from core.dialog import EventKind, Flow, Incoming
from core.ports import UnitOfWork
from handlers import (
    chains,
    choices,
    identity,
    major,
    monthly,
    my_tickets,
    ranking,
    shop,
    ticket_actions,
    warnings,
    worklist,
)
from handlers.chains import STEP_FOLLOW_UP
from handlers.checkin import CHECKIN
from handlers.commands import COMMANDS
from handlers.context import Notifier, Services, Turn
from handlers.flows import chat_key, hand_off_to_dm, save_or_end, start_flow
from handlers.incident import INCIDENT
from handlers.plan import PLAN
from handlers.report import REPORT
from handlers.ticket_actions import FOLLOW_UP

log = logging.getLogger(__name__)

FLOWS: dict[str, Flow[Any, Turn, Any]] = {
    flow.name: flow for flow in (REPORT, FOLLOW_UP, PLAN, STEP_FOLLOW_UP, CHECKIN,
                                 shop.SHOP, shop.REJECT_ORDER, INCIDENT)
}
STARTERS: dict[str, Flow[Any, Turn, Any]] = {"report": REPORT}
# Who answers each kind of button outside a conversation; a module's button is one line here.
PRESSES: dict[type[Any], Callable[[Turn, Any], None]] = {
    TicketButton: lambda turn, pressed: ticket_actions.press(turn, pressed.action, pressed.code),
    PlanButton: major.press_plan,
    StepButton: chains.press,
    PageButton: worklist.press_page,
    OrderButton: shop.press_order,
    ViewButton: my_tickets.press_view,
    RankButton: ranking.press_rank,
    WatchButton: warnings.press_watch,
}


def handle(services: Services, event: Incoming) -> None:
    """Act on one event exactly once; never raises, whatever the input."""
    try:
        with services.uow() as uow:
            if event.update_key and not uow.inbox.first_time(
                event.channel, event.update_key, services.clock.now()
            ):
                return
            _dispatch(services, uow, event)
            uow.commit()
    except Exception:
        log.exception("failed to handle %s update %s", event.channel, event.update_key)
        _apologise(services, event)


def _apologise(services: Services, event: Incoming) -> None:
    try:
        with services.uow() as uow:
            if event.update_key:
                uow.inbox.first_time(event.channel, event.update_key, services.clock.now())
            person = identity.identify(services, uow, event)
            notify = Notifier(services, uow)
            lang = notify.language(person.id) if person else services.plant.language
            notify.to_chat(event.channel, event.chat, lang, "error.internal")
            uow.commit()
    except Exception:
        log.exception("could not even apologise for %s", event.update_key)


def _addressed_to_us(event: Incoming) -> bool:
    """In a group only commands and buttons are for the bot; the rest is people talking."""
    return not event.is_group or event.kind in (EventKind.COMMAND, EventKind.BUTTON)


def _dispatch(services: Services, uow: UnitOfWork, event: Incoming) -> None:
    if not _addressed_to_us(event):
        return
    person = identity.identify(services, uow, event)
    if person is None:
        identity.welcome_stranger(services, uow, event)
        return
    uow.directory.touch(person.id, event.channel)
    notify = Notifier(services, uow)
    turn = Turn(services, uow, event, person, notify.language(person.id), notify)
    _route(turn)


def _route(turn: Turn) -> None:
    event = turn.event
    conversation = turn.uow.conversations.get(chat_key(turn))
    if conversation is not None:
        flow = FLOWS.get(conversation.flow)
        # A conversation saved by another version may name a step or hold a record this one
        # cannot read: it ends, as an expired one does.
        if (flow is None or conversation.expired(turn.services.clock.now(), flow.timeout)
                or not flow.resume(conversation)):
            turn.uow.conversations.delete(conversation.key)
            turn.reply("conversation.expired")
            conversation = None
    choices.mark_served(turn, conversation)
    if event.kind is EventKind.COMMAND:
        _command(turn, conversation is not None)
        return
    pressed = decode(event.button) if event.kind is EventKind.BUTTON else None
    press = PRESSES.get(type(pressed))
    if press is not None:
        press(turn, pressed)
        return
    # Only a dialog button goes on to the conversation; a link or garbage is answered here.
    if event.kind is EventKind.BUTTON and not isinstance(pressed, DialogButton):
        turn.reply("button.stale")
        return
    if conversation is None:
        turn.reply("button.stale" if event.kind is EventKind.BUTTON else "hint.idle")
        return
    turn.conversation = conversation
    going = FLOWS[conversation.flow].advance(turn, event)
    save_or_end(turn, ended=not going)


def _command(turn: Turn, in_conversation: bool) -> None:
    name = turn.event.command
    if name == "cancel":
        if in_conversation:
            turn.uow.conversations.delete(chat_key(turn))
        turn.reply("cancelled" if in_conversation else "cancel.nothing")
        return
    if name == "report" and monthly.asks_for_month(turn):  # /report YYYY-MM
        monthly.request(turn)
        return
    if name in STARTERS:
        if turn.event.is_group:
            hand_off_to_dm(turn, name)
        else:
            start_flow(turn, STARTERS[name])
        return
    command = COMMANDS.get(name)
    if command is None:
        turn.reply("command.unknown", command=name[:32])
        return
    command(turn)

"""The points shop in chat (see shop.mmd).

`/shop` lists the items with a button each; a press asks to confirm; confirming places
the order (its points and one of the stock reserved) and asks the admins. An admin's
approve or reject button is re-checked on every press; rejecting asks for the reason.
A refusal says which it is (out of stock, not enough points, the monthly limit) and
changes nothing; a pressed confirm ends the conversation, so pressing it again is stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Self

from core.buttons import OrderButton
from core.dialog import END, STAY, BadRecord, EventKind, Flow, Incoming, Offered, Outcome, Record
from core.dialog import Step as DialogStep
from core.point_settings import ShopItem
from core.shop import REASON_NEEDED, Order, OrderVerb, ShopRefused, available
from core.shop_services import (
    approve_order,
    check_decision,
    check_order,
    place_order,
    reject_order,
)
from handlers import choices, render
from handlers.context import Turn
from handlers.flows import start_flow
from handlers.ticket_actions import in_private

YES, NO = "yes", "no"


class ShopStep(Enum):
    PICK = "pick"
    CONFIRM = "confirm"


@dataclass(kw_only=True)
class ShopDraft(Record):
    """The item chosen, once one is."""

    item: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {**super().to_data(), "item": self.item}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        item = data.get("item")
        return cls(offered=Offered.from_data(data.get("offered")),
                   item=item if isinstance(item, str) else None)


Next = ShopStep | Outcome


def open_shop(turn: Turn) -> None:
    """`/shop`: the list, in the person's direct chat (a group sees nobody's points)."""
    if not turn.plant.shop:
        turn.reply("shop.empty")
        return
    start_flow(in_private(turn), SHOP)


def _draft(turn: Turn) -> ShopDraft:
    return SHOP.record_of(turn)


def _left(turn: Turn, item: ShopItem) -> int:
    return available(item, turn.uow.shop.taken(item.id))


def _ask_pick(turn: Turn) -> None:
    lang, lines = turn.lang, []
    for n, item in enumerate(turn.plant.shop, start=1):
        limit = (turn.text("shop.line_limit", limit=item.monthly_limit)
                 if item.monthly_limit else "")
        lines.append(turn.text("shop.line", n=n, item=item.label(lang), price=item.price,
                               left=_left(turn, item), limit=limit))
    buttons = [(turn.text("shop.button", item=item.label(lang), price=item.price), item.id)
               for item in turn.plant.shop]
    choices.offer(turn, "shop.list", buttons, balance=turn.uow.points.balance(turn.person.id),
                  lines="\n".join(lines))


def _take_pick(turn: Turn, event: Incoming) -> Next:
    choice = choices.choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:  # a stale press was answered already
            choices.refuse(turn, "shop.pick_invalid")
        return STAY
    wanted = choice.strip().casefold()
    item = next((i for i in turn.plant.shop if wanted and wanted in (
        i.id.casefold(), i.name.casefold(), i.name_en.casefold())), None)
    if item is None:
        choices.refuse(turn, "shop.pick_invalid")
        return STAY
    try:
        check_order(turn.uow, turn.plant, turn.person.id, item.id, turn.services.clock.now())
    except ShopRefused as refused:
        choices.refuse(turn, f"shop.refused.{refused.reason}", **_about(turn, item))
        return STAY
    _draft(turn).item = item.id
    return ShopStep.CONFIRM


def _say(turn: Turn, key: str, values: Mapping[str, object]) -> None:
    """A reply whose values are passed on as a mapping (one of them may be `person`)."""
    event = turn.event
    turn.notify.to_chat(event.channel, event.chat, turn.lang, key, person=turn.person.id,
                        values=values)


def _about(turn: Turn, item: ShopItem) -> dict[str, object]:
    """What a refusal may say about the item and the person's standing."""
    return {"item": item.label(turn.lang), "price": item.price,
            "balance": turn.uow.points.balance(turn.person.id),
            "limit": item.monthly_limit or 0}


def _chosen(turn: Turn) -> ShopItem | None:
    return turn.plant.shop_by_id.get(_draft(turn).item or "")


def _ask_confirm(turn: Turn) -> None:
    item = _chosen(turn)
    assert item is not None  # the pick step stores only an item of the plant
    balance = turn.uow.points.balance(turn.person.id)
    choices.offer(turn, "shop.confirm", [("button.shop_confirm", YES), ("button.cancel", NO)],
                  item=item.label(turn.lang), price=item.price, after=balance - item.price)


def _take_confirm(turn: Turn, event: Incoming) -> Next:
    choice = choices.choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            choices.refuse(turn, "shop.confirm_invalid")
        return STAY
    if choice == NO:
        turn.reply("shop.cancelled")
        return END
    if choice != YES:
        choices.refuse(turn, "shop.confirm_invalid")
        return STAY
    item = _chosen(turn)
    if item is None:  # plant.yaml dropped it while the worker was deciding
        turn.reply("shop.refused.unknown_item")
        return END
    try:
        order = place_order(turn.uow, turn.plant, turn.services.clock,
                            person=turn.person.id, item_id=item.id)
    except ShopRefused as refused:
        _say(turn, f"shop.refused.{refused.reason}", _about(turn, item))
        return END
    turn.reply("shop.placed", order=order.id, item=item.label(turn.lang), price=order.price,
               balance=turn.uow.points.balance(turn.person.id))
    return END


SHOP: Flow[ShopStep, Turn, ShopDraft] = Flow(
    name="shop",
    states=ShopStep,
    start=ShopStep.PICK,
    record=ShopDraft,
    steps={
        ShopStep.PICK: DialogStep(_ask_pick, _take_pick),
        ShopStep.CONFIRM: DialogStep(_ask_confirm, _take_confirm),
    },
)


# --- an admin's decision


class RejectStep(Enum):
    REASON = "reason"


@dataclass(kw_only=True)
class RejectDraft(Record):
    """The order being rejected."""

    order: int

    def to_data(self) -> dict[str, Any]:
        return {**super().to_data(), "order": self.order}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        order = data.get("order")
        if type(order) is not int:
            raise BadRecord(f"a rejection without its order: {dict(data)!r:.200}")
        return cls(offered=Offered.from_data(data.get("offered")), order=order)


def press_order(turn: Turn, pressed: OrderButton) -> None:
    """An admin's approve or reject, checked against the order as it is now."""
    try:
        check_decision(turn.uow, turn.plant, turn.person.id, pressed.order)
        if pressed.verb is OrderVerb.REJECT:
            start_flow(in_private(turn), REJECT_ORDER, record=RejectDraft(order=pressed.order))
            return
        order = approve_order(turn.uow, turn.plant, turn.services.clock,
                              actor=turn.person.id, order_id=pressed.order)
    except ShopRefused as refused:
        turn.reply(f"shop.refused.{refused.reason}", order=pressed.order)
        return
    _say(turn, "shop.approved_by_you", _order_values(turn, order))


def _order_values(turn: Turn, order: Order) -> dict[str, object]:
    item = turn.plant.shop_by_id.get(order.item)
    return {"order": order.id, "person": render.person_name(turn.plant, order.person),
            "item": item.label(turn.lang) if item else order.item, "price": order.price}


def _ask_reason(turn: Turn) -> None:
    turn.reply("shop.ask_reject_reason", order=REJECT_ORDER.record_of(turn).order)


def _take_reason(turn: Turn, event: Incoming) -> RejectStep | Outcome:
    order_id = REJECT_ORDER.record_of(turn).order
    if event.kind is not EventKind.TEXT:
        turn.reply("shop.refused.reason", order=order_id)
        return STAY
    try:
        order = reject_order(turn.uow, turn.plant, turn.services.clock, actor=turn.person.id,
                             order_id=order_id, reason=event.text)
    except ShopRefused as refused:
        turn.reply(f"shop.refused.{refused.reason}", order=order_id)
        return STAY if refused.reason == REASON_NEEDED else END
    _say(turn, "shop.rejected_by_you", _order_values(turn, order))
    return END


REJECT_ORDER: Flow[RejectStep, Turn, RejectDraft] = Flow(
    name="reject_order",
    states=RejectStep,
    start=RejectStep.REASON,
    record=RejectDraft,
    steps={RejectStep.REASON: DialogStep(_ask_reason, _take_reason)},
)

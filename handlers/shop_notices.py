"""Who hears of the shop and of adjusted points: the admins of a new order (with approve and
reject buttons), the worker of the decision, a person of an admin's adjustment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.buttons import OrderButton, encode
from core.events import OrderApproved, OrderPlaced, OrderRejected, PointsAdjusted
from core.plant import Role
from core.ports import UnitOfWork
from core.shop import OrderVerb, available
from handlers import render
from handlers.context import Notifier, Services
from handlers.i18n import t


def subscribe(services: Services) -> None:
    for kind, tell in ABOUT_SHOP.items():
        services.events.subscribe(kind, _with_notifier(services, tell))


def _with_notifier(
    services: Services, tell: Callable[[Notifier, Any], None]
) -> Callable[[Any, UnitOfWork], None]:
    def subscriber(event: Any, uow: UnitOfWork) -> None:
        tell(Notifier(services, uow), event)

    return subscriber


def _item_name(notify: Notifier, item_id: str, lang: str) -> str:
    item = notify.services.plant.shop_by_id.get(item_id)
    return item.label(lang) if item else item_id


def _placed(notify: Notifier, event: OrderPlaced) -> None:
    plant = notify.services.plant
    item = plant.shop_by_id.get(event.item)
    left = available(item, notify.uow.shop.taken(item.id)) if item else 0
    buttons = [("button.order_approve", encode(OrderButton(OrderVerb.APPROVE, event.order))),
               ("button.order_reject", encode(OrderButton(OrderVerb.REJECT, event.order)))]
    for admin in plant.with_role(Role.ADMIN):
        lang = notify.language(admin.id)
        values = {"order": event.order, "person": render.person_name(plant, event.person),
                  "item": _item_name(notify, event.item, lang), "price": event.price,
                  "left": left}
        notify.to_person(admin.id, "shop.approve_request", buttons=buttons, values=values)


def _approved(notify: Notifier, event: OrderApproved) -> None:
    lang = notify.language(event.person)
    item = notify.services.plant.shop_by_id.get(event.item)
    place = (item.place(lang) if item else "") or t(lang, "shop.place_unknown")
    notify.to_person(event.person, "shop.approved", order=event.order,
                     item=_item_name(notify, event.item, lang), place=place)


def _rejected(notify: Notifier, event: OrderRejected) -> None:
    lang = notify.language(event.person)
    notify.to_person(event.person, "shop.rejected", order=event.order,
                     item=_item_name(notify, event.item, lang), reason=event.reason,
                     price=event.price, balance=notify.uow.points.balance(event.person))


def _adjusted(notify: Notifier, event: PointsAdjusted) -> None:
    notify.to_person(event.person, "points.adjusted", delta=f"{event.delta:+d}",
                     reason=event.reason, balance=notify.uow.points.balance(event.person))


ABOUT_SHOP: dict[type[Any], Callable[[Notifier, Any], None]] = {
    OrderPlaced: _placed,
    OrderApproved: _approved,
    OrderRejected: _rejected,
    PointsAdjusted: _adjusted,
}

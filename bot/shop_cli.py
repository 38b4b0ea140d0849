"""`safetyloop shop orders` and `safetyloop points adjust`: the admin's side of the points
shop and the ledger, from the command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from functools import partial

from bot.settings import Settings
from core.shop import OrderStatus


def shop_orders(settings: Settings, *, status: str, fmt: str, output: str | None) -> int:
    """The orders with `status` (or all), oldest first, as JSON or a printable XLSX."""
    from bot import exports
    from bot.plantfile import read_plant
    from handlers.i18n import t
    from reports.shop_orders import orders_json, orders_workbook

    plant = read_plant(settings.plant_file)
    wanted = None if status == "all" else (OrderStatus(status),)
    orders = exports.read(settings, lambda uow: uow.shop.orders(wanted))
    summary = f"{len(orders)} orders"
    if fmt == "xlsx":
        now = datetime.now(UTC)
        book = orders_workbook(plant, orders, exported_at=now, say=partial(t, plant.language))
        exports.save_workbook(book, output, plant=plant, stem="shop-orders", now=now,
                              summary=summary)
    else:
        data = json.dumps(orders_json(plant, orders), ensure_ascii=False, indent=2)
        exports.deliver(data + "\n", output, summary=summary)
    return 0


# What each refusal of an adjustment means, for the admin at the terminal.
_REFUSED = {
    "not_allowed": "--by {by!r} is not a person with the role admin in plant.yaml",
    "unknown_person": "{person!r} is not a person in plant.yaml",
    "delta": "DELTA must be a whole number other than 0, at most 1000000 either way",
    "reason": "--reason must say why, in 2 to 200 characters",
    "balance": "{person} has {balance} points: taking {taken} would go below zero",
}


def points_adjust(settings: Settings, *, person: str, delta: int, reason: str, by: str) -> int:
    """Add (or take) points with a reason, as the admin `by`; audited, and the person told
    on the channels this process is configured for."""
    from bot.app import build_app
    from bot.process import configured_plugins
    from core.points import PointsRefused, adjust_points

    channels = {plugin.channel.name: plugin.channel for plugin in configured_plugins(settings)}
    app = build_app(settings, channels=channels)
    services = app.services
    try:
        with services.uow() as uow:
            try:
                balance = adjust_points(uow, services.plant, services.clock, person=person,
                                        delta=delta, reason=reason, actor=by)
            except PointsRefused as refused:
                now = uow.points.balance(person)
                print(_REFUSED[refused.reason].format(by=by, person=person, balance=now,
                                                      taken=-delta), file=sys.stderr)
                return 2
            uow.commit()
    finally:
        app.engine.dispose()
    print(f"{person}: {delta:+d} ({' '.join(reason.split())}), balance now {balance}")
    return 0

"""The shop's orders for the admin's hand-out list: JSON records and a printable sheet with a
column to sign on collection.

The JSON shape is a contract (README, "The points shop"): keys are only ever added;
instants in the plant's zone with their offset; people and items by id, with their names
as plant.yaml has them now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from core.plant import Plant
from core.shop import Order
from reports.audit_trail import Say, person_label
from reports.ledger_xlsx import Cell, Heading, export_stamp, wall_time, write_table


def _iso(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant else None


def order_record(plant: Plant, order: Order) -> dict[str, Any]:
    zone = ZoneInfo(plant.timezone)
    person = plant.person(order.person)
    item = plant.shop_by_id.get(order.item)
    return {
        "order": order.id,
        "status": order.status.value,
        "person": order.person,
        "person_name": person.name if person else None,
        "department": person.department if person else None,
        "item": order.item,
        "item_name": item.name if item else None,
        "price": order.price,
        "collect_at": (item.collect_at or None) if item else None,
        "ordered_at": _iso(order.created_at, zone),
        "decided_at": _iso(order.decided_at, zone),
        "decided_by": order.decided_by,
        "reason": order.reason,
    }


def orders_json(plant: Plant, orders: Sequence[Order]) -> list[dict[str, Any]]:
    return [order_record(plant, order) for order in orders]


Column = tuple[Heading, Callable[[Order], Cell]]


def order_columns(plant: Plant, say: Say) -> list[Column]:
    lang = plant.language

    def item(order: Order) -> str:
        found = plant.shop_by_id.get(order.item)
        return found.label(lang) if found else order.item

    def place(order: Order) -> str | None:
        found = plant.shop_by_id.get(order.item)
        return (found.place(lang) or None) if found else None

    def department(order: Order) -> str | None:
        person = plant.person(order.person)
        found = plant.departments_by_id.get(person.department or "") if person else None
        return found.label(lang) if found else None

    return [
        (Heading("order", 7), lambda o: o.id),
        (Heading("ordered_at", 16), lambda o: wall_time(plant, o.created_at)),
        (Heading("person", 16, True), lambda o: person_label(plant, o.person)),
        (Heading("department", 12, True), department),
        (Heading("item", 24, True), item),
        (Heading("price", 7), lambda o: o.price),
        (Heading("status", 9), lambda o: say(f"shop.status.{o.status}")),
        (Heading("collect_at", 24, True), place),
        (Heading("decided_at", 16), lambda o: wall_time(plant, o.decided_at)),
        (Heading("decided_by", 14, True),
         lambda o: person_label(plant, o.decided_by) if o.decided_by else None),
        (Heading("reason", 24, True), lambda o: o.reason),
        (Heading("signature", 14), lambda o: None),  # signed by hand when handed out
    ]


def orders_workbook(
    plant: Plant, orders: Sequence[Order], *, exported_at: datetime, say: Say,
) -> Workbook:
    """One sheet, one row an order, laid out to print like the hazard ledger."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = say("export.sheet.orders")
    columns = order_columns(plant, say)
    stamp = export_stamp(plant, exported_at)
    write_table(sheet, say("export.orders_title", count=len(orders), **stamp), say,
                [heading for heading, _ in columns],
                [[cell(order) for _, cell in columns] for order in orders])
    return book

"""`/points`: the balance and the last ten ledger entries, each with its reason, in the
reader's language and the plant's time."""

from __future__ import annotations

from core.ledger import EntryKind, LedgerEntry
from handlers import render
from handlers.context import Turn
from handlers.i18n import catalog

SHOWN = 10


def points(turn: Turn) -> None:
    person = turn.person.id
    balance = turn.uow.points.balance(person)
    entries = turn.uow.points.entries(person, limit=SHOWN)
    if not entries:
        turn.reply("points.balance", balance=balance)
        return
    lines = "\n".join(entry_line(turn, entry) for entry in entries)
    turn.reply("points.statement", balance=balance, lines=lines)


def entry_line(turn: Turn, entry: LedgerEntry) -> str:
    return turn.text("points.line", at=render.local_time(turn.plant, entry.at),
                     delta=f"{entry.delta:+d}", what=_what(turn, entry))


def _what(turn: Turn, entry: LedgerEntry) -> str:
    part = turn.text(f"points.part.{entry.part}") if entry.part else ""
    if entry.kind is EntryKind.AWARD:
        return turn.text("points.what.award", code=entry.ticket or "", part=part)
    if entry.kind is EntryKind.REVOKE:
        return turn.text("points.what.revoke", code=entry.ticket or "", part=part,
                         why=_known(turn, f"points.why.{entry.reason}", entry.reason))
    if entry.kind is EntryKind.ADJUST:
        return turn.text("points.what.adjust", reason=entry.reason,
                         actor=render.person_name(turn.plant, entry.actor))
    item = turn.plant.shop_by_id.get(entry.reason if entry.kind is EntryKind.REDEEM else "")
    shown = item.label(turn.lang) if item else _item_of_order(turn, entry)
    if entry.kind is EntryKind.REDEEM:
        return turn.text("points.what.redeem", order=entry.order, item=shown)
    return turn.text("points.what.refund", order=entry.order, item=shown, reason=entry.reason)


def _item_of_order(turn: Turn, entry: LedgerEntry) -> str:
    """A refund names its order's item; an item gone from plant.yaml by its id."""
    order = turn.uow.shop.get(entry.order) if entry.order is not None else None
    item = turn.plant.shop_by_id.get(order.item) if order else None
    return item.label(turn.lang) if item else (order.item if order else entry.reason)


def _known(turn: Turn, key: str, fallback: str) -> str:
    return turn.text(key) if key in catalog(turn.lang) else fallback

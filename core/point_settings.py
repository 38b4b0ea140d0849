"""plant.yaml's `points` and `shop`: what a valid report earns, its bonuses, and what points buy.

`points: {general: 5, serious: 10, critical: 20}` (the short form) still loads: the bonuses
are then zero. Checked by `point_problems`, by YAML path, as the rest of the plant is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields

Problem = tuple[str, str]
# An item's id travels in button data and order rows: short and plain.
_ITEM_ID = re.compile(r"[A-Za-z0-9_.\-]{1,32}")
# More than this is a typing slip (a price pasted twice), not a price or a stock.
MOST = 1_000_000


@dataclass(frozen=True)
class Bonuses:
    """Points added to a valid report's award, each for one reason (core/ledger.py `Part`)."""

    # The report that shows a problem came back: see core/ledger.py `is_recurrence`.
    first_of_recurring: int = 0
    # The report was graded a major hazard (重大事故隐患).
    major_hazard: int = 0
    # The report named the equipment and sent a GPS location (a message or a photo's EXIF).
    equipment_and_location: int = 0


@dataclass(frozen=True)
class PointRules:
    """Points of a valid report by its severity, plus the bonuses."""

    general: int = 5
    serious: int = 10
    critical: int = 20
    bonus: Bonuses = field(default_factory=Bonuses)

    def for_severity(self, severity: str) -> int:
        value = getattr(self, severity, 0) if severity in _SEVERITIES else 0
        return int(value)


_SEVERITIES = ("general", "serious", "critical")


@dataclass(frozen=True)
class ShopItem:
    """Something points buy (PPE, welfare), as plant.yaml's `shop` lists it.

    `stock` is how many the plant has put in the shop so far: every order waiting for
    approval or approved takes one, a rejected order gives its one back. Restocking is
    raising it by what came in.
    """

    id: str
    name: str
    price: int
    stock: int = 0
    name_en: str = ""
    monthly_limit: int | None = None  # orders per person per calendar month (plant time)
    collect_at: str = ""  # where an approved order is handed out
    collect_at_en: str = ""

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def place(self, lang: str) -> str:
        return self.collect_at_en if lang == "en" and self.collect_at_en else self.collect_at


def point_problems(rules: PointRules, shop: Sequence[ShopItem], *, admins: int) -> list[Problem]:
    """`admins`: how many people have the role admin, who approve the shop's orders."""
    unapproved = [("shop", "nobody has the role 'admin' to approve orders (give someone the "
                   "role, or leave the shop out)")] if shop and not admins else []
    return [*_negative(rules), *_shop_problems(shop), *unapproved]


def _negative(rules: PointRules) -> Iterator[Problem]:
    for name in _SEVERITIES:
        value = getattr(rules, name)
        if value < 0:
            yield f"points.{name}", f"cannot be negative, got {value}"
    for bonus in fields(Bonuses):
        value = getattr(rules.bonus, bonus.name)
        if value < 0:
            yield f"points.bonus.{bonus.name}", f"cannot be negative, got {value}"


def _shop_problems(shop: Sequence[ShopItem]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for i, item in enumerate(shop):
        here = f"shop[{i}]"
        if not _ITEM_ID.fullmatch(item.id):
            yield (f"{here}.id", f"{item.id!r} cannot be an item id: use up to 32 letters, "
                   "digits, '-', '_' or '.'")
        j = first.setdefault(item.id, i)
        if j != i:
            yield f"{here}.id", f"duplicate id {item.id!r} (already used by shop[{j}])"
        if not 1 <= item.price <= MOST:
            yield f"{here}.price", f"must be from 1 to {MOST} points, got {item.price}"
        if not 0 <= item.stock <= MOST:
            yield f"{here}.stock", f"must be from 0 to {MOST}, got {item.stock}"
        if item.monthly_limit is not None and item.monthly_limit < 1:
            yield (f"{here}.monthly_limit",
                   f"must be 1 or more, got {item.monthly_limit} (leave it out for no limit)")
        if not item.name.strip():
            yield f"{here}.name", "must not be empty"

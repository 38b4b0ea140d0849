"""Reading what people type into a remediation plan: an amount of yuan, a date, a person.

Input comes from phones in Chinese and English: full-width digits and punctuation are read
as their plain forms, amounts may carry ¥, 元, thousands separators or 万 (ten thousand).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from core.major_hazards import MAX_FUNDS
from core.plant import Plant

_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万)?")
_CURRENCY = re.compile(r"^(?:¥|RMB|CNY)|(?:元|RMB|CNY|YUAN)$", re.IGNORECASE)
_DATE = re.compile(r"(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?")
_CENT = Decimal("0.01")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_funds(text: str) -> Decimal | None:
    """Yuan as typed (`50000`, `¥12,500.50`, `5万元`); None unless a whole number of fen
    between zero and an amount nobody budgets."""
    plain = re.sub(r"[\s,']", "", _plain(text))
    previous = None
    while plain != previous:  # "¥5万元": strip the signs on both sides
        previous, plain = plain, _CURRENCY.sub("", plain)
    found = _AMOUNT.fullmatch(plain)
    if found is None:
        return None
    try:
        amount = Decimal(found.group(1)) * (10_000 if found.group(2) else 1)
    except InvalidOperation:
        return None
    if amount != amount.quantize(_CENT) or not Decimal(0) <= amount <= MAX_FUNDS:
        return None
    return amount.quantize(_CENT)


def parse_date(text: str, today: date) -> date | None:
    """`2026-12-31`, `2026/12/31`, `2026年12月31日`, or without the year (`12-31`, `12月31日`:
    this year); None for anything that is no date."""
    found = _DATE.fullmatch(_plain(text))
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        return date(int(year) if year else today.year, int(month), int(day))
    except ValueError:
        return None


def person_by_text(plant: Plant, text: str) -> str | None:
    """A person of the plant by id (any case) or by their name when only one has it."""
    wanted = _plain(text)
    by_id = next((p.id for p in plant.people if p.id.casefold() == wanted.casefold()), None)
    if by_id is not None:
        return by_id
    named = [p.id for p in plant.people if p.name == wanted]
    return named[0] if len(named) == 1 else None

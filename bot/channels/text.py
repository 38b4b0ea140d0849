"""Text measured as each platform measures it, and split to fit its limits.

Telegram counts its limits in UTF-16 code units (an emoji outside the BMP counts 2),
WeCom in UTF-8 bytes; Python counts code points. One splitter serves both, given
the platform's measure.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]


def utf16_units(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def utf8_bytes(text: str) -> int:
    """Length as WeCom counts it."""
    return len(text.encode())


def fits(text: str, limit: int, measure: Measure = len) -> bool:
    return measure(text) <= limit


def _longest_prefix(text: str, limit: int, measure: Measure) -> int:
    """How many characters of `text` fit in `limit` (at least one, so splitting ends)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Pieces of at most `limit` each, cut at the last line end that fits, else between
    characters; the line ends at the cuts are dropped. Always at least one piece."""
    pieces: list[str] = []
    while measure(text) > limit:
        fitting = _longest_prefix(text, limit, measure)
        cut = text.rfind("\n", 0, fitting + 1)
        if cut <= 0:
            cut = fitting
        pieces.append(text[:cut].rstrip("\n"))
        text = text[cut:].lstrip("\n")
    return [*pieces, text]

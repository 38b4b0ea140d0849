"""An in-memory fake of the duplicate index (core/ports.py `DuplicateIndex`), for core tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from core.photo_prints import SHARED_BANDS, PhotoPrint
from core.ports import PhotoSeen
from core.tickets import Ticket


class FakeDuplicateIndex:
    """Finds candidates as the SQL one does: the same bytes, or enough equal bands."""

    def __init__(self, tickets: Callable[[], Iterable[Ticket]]) -> None:
        self._tickets = tickets
        self.prints: list[tuple[str, PhotoPrint, datetime]] = []
        self.follows: list[tuple[str, str, datetime]] = []

    def index(self, code: str, prints: Sequence[PhotoPrint], at: datetime) -> None:
        for photo in prints:
            if not any(c == code and p.sha256 == photo.sha256 for c, p, _ in self.prints):
                self.prints.append((code, photo, at))

    def seen(self, prints: Sequence[PhotoPrint], since: datetime,
             limit: int = 200) -> list[PhotoSeen]:
        tickets = {t.code: t for t in self._tickets()}
        found = [PhotoSeen(tickets[code], photo)
                 for code, photo, at in sorted(self.prints, key=lambda p: p[2], reverse=True)
                 if at >= since and any(_alike(photo, mine) for mine in prints)]
        return found[:limit]

    def follow(self, code: str, person: str, at: datetime) -> bool:
        if any(c == code and p == person for c, p, _ in self.follows):
            return False
        self.follows.append((code, person, at))
        return True

    def followers(self, code: str) -> list[str]:
        return [p for c, p, _ in self.follows if c == code]

    def followers_by_ticket(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for code, person, _ in self.follows:
            found.setdefault(code, []).append(person)
        return found


def _alike(a: PhotoPrint, b: PhotoPrint) -> bool:
    bands_a, bands_b = a.bands(), b.bands()
    if a.sha256 == b.sha256:
        return True
    if bands_a is None or bands_b is None:
        return False
    return sum(x == y for x, y in zip(bands_a, bands_b, strict=True)) >= SHARED_BANDS

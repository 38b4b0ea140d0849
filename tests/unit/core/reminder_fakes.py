"""An in-memory fake of the reminder book (core/ports.py `ReminderBook`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from core.ports import GatheredReminder
from core.tickets import Ticket


class FakeReminderBook:
    """Reads the tickets through `tickets` (the fake ticket repository's rows, as copies)."""

    def __init__(self, tickets: Callable[[], Iterator[Ticket]]) -> None:
        self._tickets = tickets
        self.entries: dict[int, tuple[str, GatheredReminder, datetime]] = {}
        self.digests: dict[tuple[str, date], datetime] = {}

    def _reminded(self) -> list[Ticket]:
        found = [t for t in self._tickets() if t.is_open and t.remind_at is not None]
        return sorted(found, key=lambda t: (t.remind_at, t.id or 0))

    def due(self, now: datetime, limit: int = 100) -> list[Ticket]:
        return [t for t in self._reminded() if t.remind_at and t.remind_at <= now][:limit]

    def next_due_at(self) -> datetime | None:
        return next((t.remind_at for t in self._reminded()), None)

    def gather(self, person: str, ticket: str, step: str, at: datetime) -> None:
        entry_id = max(self.entries, default=0) + 1
        self.entries[entry_id] = (person, GatheredReminder(entry_id, ticket, step), at)

    def gathered(self, person: str) -> list[GatheredReminder]:
        return [entry for who, entry, _ in self.entries.values() if who == person]

    def oldest_gathered(self) -> dict[str, datetime]:
        oldest: dict[str, datetime] = {}
        for person, _, at in self.entries.values():
            oldest[person] = min(at, oldest.get(person, at))
        return oldest

    def forget(self, ids: Sequence[int]) -> None:
        for entry_id in ids:
            self.entries.pop(entry_id, None)

    def claim_digest(self, person: str, day: date, at: datetime) -> bool:
        if (person, day) in self.digests:
            return False
        self.digests[(person, day)] = at
        return True

    def last_digests(self) -> dict[str, date]:
        last: dict[str, date] = {}
        for person, day in self.digests:
            last[person] = max(day, last.get(person, day))
        return last

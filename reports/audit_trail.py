"""The audit trail in words: who did what to which ticket, in the plant's time and language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from core.audit import AuditEntry
from core.plant import Plant

# A message catalog bound to one language: say("audit.TicketOpened") -> "上报隐患".
Say = Callable[..., str]


@dataclass(frozen=True)
class TrailLine:
    """One audit entry as people read it."""

    at: datetime
    actor: str
    action: str
    subject: str
    details: str


def person_label(plant: Plant, person_id: str) -> str:
    person = plant.person(person_id)
    return f"{person.name} ({person.id})" if person else person_id


def actor_label(plant: Plant, actor: str, say: Say) -> str:
    """A person of the plant by name and id; the scheduler as "system"; anyone else as logged."""
    if actor == "system":
        return _words(say, "audit.system", fallback=actor)
    return person_label(plant, actor)


def action_words(entry: AuditEntry, say: Say) -> str:
    data = entry.data
    if entry.action == "TicketActed":
        return _words(say, f"audit.acted.{data.get('action')}", fallback=str(data.get("action")))
    if entry.action == "TicketEscalated":
        return _words(say, "audit.TicketEscalated", fallback=entry.action,
                      level=data.get("level", "?"))
    if entry.action == "PointsChanged":
        delta = data.get("delta")
        shown = f"{delta:+d}" if isinstance(delta, int) else str(delta)
        return _words(say, "audit.PointsChanged", fallback=entry.action, delta=shown)
    return _words(say, f"audit.{entry.action}", fallback=entry.action)


def details(data: dict[str, Any]) -> str:
    """`key=value` pairs in the order they were logged; lists joined with commas."""
    def shown(value: Any) -> str:
        if isinstance(value, list):
            return ",".join(shown(v) for v in value)
        return "" if value is None else str(value)

    return " ".join(f"{key}={shown(value)}" for key, value in data.items())


def trail_line(plant: Plant, entry: AuditEntry, say: Say) -> TrailLine:
    return TrailLine(
        at=entry.at.astimezone(ZoneInfo(plant.timezone)),
        actor=actor_label(plant, entry.actor, say),
        action=action_words(entry, say),
        subject=entry.subject,
        details=details(entry.data),
    )


def text_line(line: TrailLine) -> str:
    """One line for the terminal: local time with its offset first, details last."""
    parts = [line.at.isoformat(timespec="seconds"), line.actor, line.action, line.subject]
    return "  ".join(parts + ([line.details] if line.details else []))


def parse_since(text: str, zone: ZoneInfo) -> datetime:
    """`YYYY-MM-DD` is local midnight; ISO 8601 without an offset is local time too."""
    text = text.strip()
    try:
        return datetime.combine(date.fromisoformat(text), time(), zone)
    except ValueError:
        pass
    instant = datetime.fromisoformat(text)
    return instant if instant.tzinfo else instant.replace(tzinfo=zone)


def _words(say: Say, key: str, *, fallback: str, **values: object) -> str:
    # Entries outlive code: an action logged by an older or newer version may have no words.
    try:
        return say(key, **values)
    except KeyError:
        return fallback

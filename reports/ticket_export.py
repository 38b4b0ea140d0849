"""Tickets as plain records for export (JSON, CSV): instants in the plant's zone, with offset."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.plant import Plant
from core.tickets import Ticket


def _iso(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant else None


def export_record(plant: Plant, ticket: Ticket, joined_by: Sequence[str] = ()) -> dict[str, Any]:
    zone = ZoneInfo(plant.timezone)
    return {
        "code": ticket.code,
        "status": ticket.status.value,
        "reporter": ticket.reporter,
        "area": ticket.area,
        "equipment": ticket.equipment,
        "category": ticket.category,
        "severity": ticket.severity.value,
        "urgency": ticket.urgency.value,
        "description": ticket.description,
        "assignee_team": ticket.team,
        "escalation_level": ticket.escalation_level,
        "validity": ticket.validity.value,
        "points": ticket.points,
        "location": (
            {"lat": ticket.location.lat, "lon": ticket.location.lon,
             "source": ticket.location_source} if ticket.location else None
        ),
        "photos": list(ticket.photos),
        "after_photo": ticket.after_photo,
        "due_at": _iso(ticket.due_at, zone),
        "respond_by": _iso(ticket.respond_by, zone),
        "resolve_by": _iso(ticket.resolve_by, zone),
        "created_at": _iso(ticket.created_at, zone),
        "acknowledged_at": _iso(ticket.acknowledged_at, zone),
        "started_at": _iso(ticket.started_at, zone),
        "resolved_at": _iso(ticket.resolved_at, zone),
        "closed_at": _iso(ticket.closed_at, zone),
        "rejected_at": _iso(ticket.rejected_at, zone),
        "reason": ticket.reason,
        "duplicate_of": ticket.duplicate_of,
        # What the duplicate check found when it was filed (core/duplicates.py).
        "suspected_duplicate_of": ticket.suspected_duplicate_of,
        "reused_photo_of": ticket.reused_photo_of,
        # Who joined it instead of reporting it again, by person id, in the order they joined.
        "joined_by": list(joined_by),
    }


# Who joined each ticket (`DuplicateIndex.followers_by_ticket`); a ticket absent has none.
JoinedBy = Mapping[str, Sequence[str]]


def export_json(plant: Plant, tickets: Iterable[Ticket],
                joined_by: JoinedBy | None = None) -> list[dict[str, Any]]:
    joined = joined_by or {}
    return [export_record(plant, ticket, joined.get(ticket.code, ())) for ticket in tickets]


def export_csv(plant: Plant, tickets: Iterable[Ticket],
               joined_by: JoinedBy | None = None) -> bytes:
    """The JSON records as CSV rows, UTF-8 with a BOM so that Excel reads the Chinese."""
    rows = [_flat(record) for record in export_json(plant, tickets, joined_by)]
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """One cell per value: the location as lat/lon/source, photos joined with `;`."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if key == "location":
            location = value or {}
            for part in ("lat", "lon", "source"):
                flat[f"location_{part}"] = location.get(part)
        elif isinstance(value, list):
            flat[key] = ";".join(str(v) for v in value)
        else:
            flat[key] = value
    return flat

"""What each conversation has gathered so far: one typed record per flow, stored as JSON.

The JSON keeps the keys the free-form version wrote, so a conversation started before
an upgrade carries on after it. A value that cannot be read is left out (and its step
asked again); a record without what its flow cannot do without does not load at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self, TypeVar

from core.dialog import BadRecord, Offered, Record
from core.geo import GeoPoint
from core.plant import Severity
from core.services import OpenTicket
from core.tickets import Action


class LocationSource(StrEnum):
    """Where the location came from; the catalog says it as `location.<source>`."""

    MESSAGE = "message"
    EXIF = "exif"
    AREA = "area"


@dataclass(kw_only=True)
class ReportDraft(Record):
    photos: list[str] = field(default_factory=list)
    # GPS read from a photo, until the location step decides whether to use it.
    exif_location: GeoPoint | None = None
    area: str | None = None
    location: GeoPoint | None = None
    location_source: LocationSource = LocationSource.AREA
    equipment: str | None = None
    description: str | None = None
    category: str | None = None
    urgency: Severity | None = None
    # Set while one field is changed from the summary: its step returns to the summary.
    editing: bool = False

    def missing(self) -> list[str]:
        """The fields a ticket needs that are not there yet, in the order they are asked."""
        needed = {"photos": self.photos, "area": self.area, "description": self.description,
                  "category": self.category, "urgency": self.urgency}
        return [name for name, value in needed.items() if not value]

    def command(self, reporter: str) -> OpenTicket | None:
        """The ticket to open, once every field it needs is there."""
        if not (self.photos and self.area and self.description and self.category
                and self.urgency):
            return None
        return OpenTicket(
            reporter=reporter, area=self.area, category=self.category, urgency=self.urgency,
            description=self.description, photos=tuple(self.photos), equipment=self.equipment,
            location=self.location, location_source=self.location_source.value,
        )

    def to_data(self) -> dict[str, Any]:
        known = {
            "exif_location": _stored_point(self.exif_location), "area": self.area,
            "location": _stored_point(self.location), "description": self.description,
            "category": self.category, "urgency": self.urgency.value if self.urgency else None,
        }
        return {
            **super().to_data(), "photos": list(self.photos), "equipment": self.equipment,
            "location_source": self.location_source.value, "editing": self.editing,
            **{key: value for key, value in known.items() if value is not None},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        photos = data.get("photos")
        return cls(
            offered=Offered.from_data(data.get("offered")),
            photos=[p for p in photos if isinstance(p, str)] if isinstance(photos, list) else [],
            exif_location=_point(data.get("exif_location")),
            area=_text(data.get("area")),
            location=_point(data.get("location")),
            location_source=_member(LocationSource, data.get("location_source"))
            or LocationSource.AREA,
            equipment=_text(data.get("equipment")),
            description=_text(data.get("description")),
            category=_text(data.get("category")),
            urgency=_member(Severity, data.get("urgency")),
            editing=data.get("editing") is True,
        )


@dataclass(kw_only=True)
class FollowUpDraft(Record):
    """The press being completed: which action on which ticket, from which message."""

    code: str
    action: Action
    handle: str = ""  # the pressed message, to show the outcome on it
    reason: str | None = None  # an overrule's reason, kept while the team is asked

    def to_data(self) -> dict[str, Any]:
        data = {**super().to_data(), "code": self.code, "action": self.action.value,
                "handle": self.handle}
        return data if self.reason is None else {**data, "reason": self.reason}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        code, action = _text(data.get("code")), _member(Action, data.get("action"))
        if code is None or action is None:
            raise BadRecord(f"a follow-up without a ticket or an action: {dict(data)!r:.200}")
        return cls(
            offered=Offered.from_data(data.get("offered")), code=code, action=action,
            handle=_text(data.get("handle")) or "", reason=_text(data.get("reason")),
        )


@dataclass(kw_only=True)
class PlanDraft(Record):
    """A major hazard's remediation plan (五落实) as it is typed; see handlers/plan.py.
    Funds are kept as a decimal string, the deadline as an ISO date."""

    code: str
    responsible: str | None = None
    measures: str | None = None
    funds: str | None = None
    deadline: str | None = None
    emergency_plan: str | None = None
    # Set while one element is changed from the summary: its step returns to the summary.
    editing: bool = False

    def elements(self) -> dict[str, str | None]:
        """The five elements by name (core.major_hazards.ELEMENTS), as typed so far."""
        return {"responsible": self.responsible, "measures": self.measures,
                "funds": self.funds, "deadline": self.deadline,
                "emergency_plan": self.emergency_plan}

    def missing(self) -> list[str]:
        return [name for name, value in self.elements().items() if value is None]

    def to_data(self) -> dict[str, Any]:
        known = {name: value for name, value in self.elements().items() if value is not None}
        return {**super().to_data(), "code": self.code, "editing": self.editing, **known}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        code = _text(data.get("code"))
        if code is None:
            raise BadRecord(f"a plan without its ticket: {dict(data)!r:.200}")
        return cls(
            offered=Offered.from_data(data.get("offered")), code=code,
            responsible=_text(data.get("responsible")), measures=_text(data.get("measures")),
            funds=_text(data.get("funds")), deadline=_text(data.get("deadline")),
            emergency_plan=_text(data.get("emergency_plan")), editing=data.get("editing") is True,
        )


E = TypeVar("E", bound=StrEnum)


def _member(kind: type[E], value: object) -> E | None:
    return kind(value) if isinstance(value, str) and value in kind.__members__.values() else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _stored_point(point: GeoPoint | None) -> list[float | None] | None:
    return [point.lat, point.lon, point.accuracy_m] if point else None


def _point(value: object) -> GeoPoint | None:
    """[lat, lon] or [lat, lon, accuracy] as stored; None for anything else."""
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        return None
    lat, lon, *rest = value
    accuracy = rest[0] if rest else None
    if not (_number(lat) and _number(lon) and (accuracy is None or _number(accuracy))):
        return None
    point = GeoPoint(float(lat), float(lon), None if accuracy is None else float(accuracy))
    return point if point.is_valid() else None


# The same readers and writer for records kept beside their own flow (handlers/checkin_draft.py).
text_of, point_of, stored_point = _text, _point, _stored_point

"""What a /checkin conversation holds: its steps, the photo offered as evidence, the check-in
made, the checklist's answers so far and the Not OK finding being described.

The answers are written to the database together when the last item is answered, so a
checkpoint counts done only with its whole checklist; until then they live here, in the
conversation, which survives a restart. A finding's ticket is opened at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, Self

from core.dialog import Offered, Record
from core.geo import GeoPoint
from core.inspections import Answer
from handlers.drafts import point_of, stored_point, text_of


class Inspect(Enum):
    LOCATION = "location"
    ITEM = "item"
    PHOTO = "photo"
    DESCRIPTION = "description"
    EQUIPMENT = "equipment"
    CATEGORY = "category"


@dataclass(frozen=True)
class Answered:
    item: str
    answer: Answer
    risk_point: str | None = None
    ticket: str | None = None
    note: str = ""

    def to_data(self) -> dict[str, Any]:
        return {"item": self.item, "answer": self.answer.value, "risk_point": self.risk_point,
                "ticket": self.ticket, "note": self.note}

    @classmethod
    def from_data(cls, data: object) -> Answered | None:
        if not isinstance(data, dict):
            return None
        item, answer = text_of(data.get("item")), data.get("answer")
        if item is None or not isinstance(answer, str) or answer not in Answer.__members__.values():
            return None
        return cls(item, Answer(answer), text_of(data.get("risk_point")),
                   text_of(data.get("ticket")), text_of(data.get("note")) or "")


@dataclass(kw_only=True)
class CheckInDraft(Record):
    # Before the check-in: a photo sent as evidence, with what its EXIF says.
    evidence: str | None = None
    evidence_gps: GeoPoint | None = None
    evidence_taken_at: datetime | None = None
    # The check-in made, and its checklist: the items' keys as they were when it began.
    checkin_id: int | None = None
    round_id: int | None = None
    checkpoint: str | None = None
    area: str | None = None
    location: GeoPoint | None = None
    items: list[str] = field(default_factory=list)
    answers: list[Answered] = field(default_factory=list)
    # The Not OK finding being described.
    photo: str | None = None
    description: str | None = None
    equipment: str | None = None

    @property
    def current(self) -> str | None:
        """The key of the item being asked; None once every item is answered."""
        index = len(self.answers)
        return self.items[index] if index < len(self.items) else None

    def forget_finding(self) -> None:
        self.photo = self.description = self.equipment = None

    def to_data(self) -> dict[str, Any]:
        known = {
            "evidence": self.evidence, "evidence_gps": stored_point(self.evidence_gps),
            "evidence_taken_at": self.evidence_taken_at.isoformat()
            if self.evidence_taken_at else None,
            "checkin_id": self.checkin_id, "round_id": self.round_id,
            "checkpoint": self.checkpoint, "area": self.area,
            "location": stored_point(self.location), "photo": self.photo,
            "description": self.description, "equipment": self.equipment,
        }
        return {
            **super().to_data(), "items": list(self.items),
            "answers": [a.to_data() for a in self.answers],
            **{key: value for key, value in known.items() if value is not None},
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        items, answers = data.get("items"), data.get("answers")
        return cls(
            offered=Offered.from_data(data.get("offered")),
            evidence=text_of(data.get("evidence")),
            evidence_gps=point_of(data.get("evidence_gps")),
            evidence_taken_at=_instant(data.get("evidence_taken_at")),
            checkin_id=_whole(data.get("checkin_id")), round_id=_whole(data.get("round_id")),
            checkpoint=text_of(data.get("checkpoint")), area=text_of(data.get("area")),
            location=point_of(data.get("location")),
            items=[i for i in items if isinstance(i, str)] if isinstance(items, list) else [],
            answers=[a for a in map(Answered.from_data, answers) if a is not None]
            if isinstance(answers, list) else [],
            photo=text_of(data.get("photo")), description=text_of(data.get("description")),
            equipment=text_of(data.get("equipment")),
        )


def _whole(value: object) -> int | None:
    return value if type(value) is int else None


def _instant(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        return None
    return found if found.tzinfo is not None else None

"""Points for valid reports: awarded on validation, taken back when found duplicate or invalid."""

from __future__ import annotations

from dataclasses import dataclass

from core.plant import Plant, Severity
from core.tickets import Ticket, Validity


@dataclass(frozen=True)
class PointsChange:
    person: str
    delta: int
    ticket: str
    reason: Validity


def points_for(plant: Plant, severity: Severity) -> int:
    return plant.points.get(severity, 0)


def rescore(plant: Plant, ticket: Ticket, validity: Validity) -> PointsChange | None:
    """The ledger entry that brings the reporter's points in line with `validity`."""
    target = points_for(plant, ticket.severity) if validity is Validity.VALID else 0
    delta = target - ticket.points
    if delta == 0:
        return None
    return PointsChange(person=ticket.reporter, delta=delta, ticket=ticket.code, reason=validity)

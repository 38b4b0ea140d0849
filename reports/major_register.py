"""The register of major hazards (重大事故隐患台账) a regulator asks for: every ticket graded a
major hazard with its remediation plan (五落实), as JSON records and as a printable sheet.

The JSON shape is a contract (README, "Major hazards"): instants in the plant's zone with
their offset, people and places by id, funds in yuan as a decimal string, the plan null
until it is entered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from core.major_hazards import RemediationPlan
from core.plant import Plant
from core.tickets import Status, Ticket
from reports.audit_trail import Say, person_label
from reports.ledger_xlsx import Cell, Heading, export_stamp, wall_time, write_table

Graded = tuple[Ticket, RemediationPlan | None]


def _iso(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant else None


def accepted_by(ticket: Ticket) -> str | None:
    """Who accepted the fix: whoever closed a major hazard (the rules let only the safety
    manager); nobody while it is open or when it was rejected."""
    return ticket.closed_by if ticket.status is Status.CLOSED else None


def register_record(plant: Plant, ticket: Ticket, plan: RemediationPlan | None) -> dict[str, Any]:
    zone = ZoneInfo(plant.timezone)
    return {
        "code": ticket.code,
        "status": ticket.status.value,
        "found_at": _iso(ticket.created_at, zone),
        "area": ticket.area,
        "equipment": ticket.equipment,
        "description": ticket.description,
        "graded_at": _iso(ticket.major_at, zone),
        "graded_by": ticket.major_by,
        "plan": None if plan is None else {
            "responsible": plan.responsible,
            "measures": plan.measures,
            "funds_yuan": f"{plan.funds:.2f}",
            "deadline": plan.deadline.isoformat(),
            "emergency_plan": plan.emergency_plan,
            "entered_by": plan.entered_by,
            "entered_at": _iso(plan.entered_at, zone),
        },
        "closed_at": _iso(ticket.closed_at, zone),
        "accepted_by": accepted_by(ticket),
    }


def register_json(plant: Plant, graded: Sequence[Graded]) -> list[dict[str, Any]]:
    return [register_record(plant, ticket, plan) for ticket, plan in graded]


Column = tuple[Heading, Callable[[Ticket, RemediationPlan | None], Cell]]


def register_columns(plant: Plant, say: Say) -> list[Column]:
    lang = plant.language

    def who(person: str | None) -> str | None:
        return person_label(plant, person) if person else None

    def area(t: Ticket) -> str:
        found = plant.areas_by_id.get(t.area)
        return found.label(lang) if found else t.area

    return [
        (Heading("code", 16), lambda t, p: t.code),
        (Heading("found_at", 16), lambda t, p: wall_time(plant, t.created_at)),
        (Heading("area", 12, True), lambda t, p: area(t)),
        (Heading("equipment", 11), lambda t, p: t.equipment or say("equipment.none")),
        (Heading("description", 30, True), lambda t, p: t.description),
        (Heading("graded_at", 16), lambda t, p: wall_time(plant, t.major_at)),
        (Heading("graded_by", 14, True), lambda t, p: who(t.major_by)),
        (Heading("responsible", 14, True),
         lambda t, p: who(p.responsible) if p else say("export.no_plan")),
        (Heading("measures", 30, True), lambda t, p: p.measures if p else None),
        (Heading("funds", 12), lambda t, p: p.funds if p else None),
        (Heading("deadline", 11), lambda t, p: p.deadline.isoformat() if p else None),
        (Heading("emergency_plan", 30, True), lambda t, p: p.emergency_plan if p else None),
        (Heading("status", 9), lambda t, p: say(f"status.{t.status}")),
        (Heading("closed_at", 16), lambda t, p: wall_time(plant, t.closed_at)),
        (Heading("accepted_by", 14, True), lambda t, p: who(accepted_by(t))),
    ]


def register_workbook(
    plant: Plant, graded: Sequence[Graded], *, exported_at: datetime, say: Say,
) -> Workbook:
    """One sheet, one row a major hazard, laid out to print like the hazard ledger."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = say("export.sheet.major")
    columns = register_columns(plant, say)
    stamp = export_stamp(plant, exported_at)
    write_table(sheet, say("export.major_title", count=len(graded), **stamp), say,
                [heading for heading, _ in columns],
                [[cell(ticket, plan) for _, cell in columns] for ticket, plan in graded])
    return book

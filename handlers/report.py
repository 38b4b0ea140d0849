"""/report: a worker reports a hazard step by step (see report.mmd).

photo(s) → location or area → equipment → description → category → urgency →
summary to confirm, edit or cancel. Each step stores one thing and asks the next;
while editing, a step returns to the summary instead. Every button can also be
typed, by its label or its number (see choices.py); a description typed while
photos are expected is kept, and its own step is then skipped.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from core.dialog import END, STAY, EventKind, Flow, Incoming, Step
from core.geo import GeoPoint
from core.plant import Severity
from core.services import OpenTicket, open_ticket
from handlers import places, render, report_photos
from handlers.choices import choose, offer, refuse
from handlers.context import Turn

URGENCIES = (Severity.GENERAL, Severity.SERIOUS)
NONE_WORDS = {"none", "无", "没有", "-", "no"}


class Report(Enum):
    PHOTO = "photo"
    LOCATION = "location"
    EQUIPMENT = "equipment"
    DESCRIPTION = "description"
    CATEGORY = "category"
    URGENCY = "urgency"
    CONFIRM = "confirm"
    EDIT = "edit"


def _data(turn: Turn) -> dict[str, Any]:
    return turn.conversation.data


def _then(turn: Turn, natural: Report) -> str:
    return Report.CONFIRM.name if _data(turn).get("editing") else natural.name


# -- photo ---------------------------------------------------------------

def _ask_photo(turn: Turn) -> None:
    turn.reply("report.ask_photo")


def _take_photo(turn: Turn, event: Incoming) -> str:
    return _after_photos(turn) if report_photos.take(turn, event) else STAY


def _after_photos(turn: Turn) -> str:
    data = _data(turn)
    exif = data.pop("exif_location", None)
    if exif and "area" not in data:
        area = places.area_at(turn.plant, GeoPoint(exif[0], exif[1]))
        if area:
            data.update(area=area, location=exif, location_source="exif")
            turn.reply("report.location_from_photo",
                       area=render.area_name(turn.plant, area, turn.lang))
            return _then(turn, Report.EQUIPMENT)
    return _then(turn, Report.LOCATION)


# -- location ------------------------------------------------------------

def _ask_location(turn: Turn) -> None:
    offer(turn, "report.ask_location", [(a.label(turn.lang), a.id) for a in turn.plant.areas])


def _take_location(turn: Turn, event: Incoming) -> str:
    data = _data(turn)
    if event.kind is EventKind.LOCATION and event.location is not None:
        point = event.location
        area = places.area_at(turn.plant, point)
        if area is None:
            km = places.distance_from_site_m(turn.plant, point) / 1000 if point.is_valid() else 0
            refuse(turn, "report.location_off_site", km=f"{km:.1f}")
            return STAY
        data.update(location=[point.lat, point.lon, point.accuracy_m], location_source="message")
    else:
        choice = choose(turn, event)
        area = places.area_by_text(turn.plant, choice) if choice else None
        if area is None:
            if choice is not None:
                refuse(turn, "report.area_unknown")
            elif event.kind is not EventKind.BUTTON:
                refuse(turn, "report.location_expected")
            return STAY
        data.update(location_source="area")
        data.pop("location", None)
    if data.get("area") != area:
        data["area"] = area
        equipment = turn.plant.equipment_by_code.get(str(data.get("equipment") or "").upper())
        if equipment and equipment.area != area:
            data.pop("equipment", None)
            data.pop("equipment_given", None)
            return Report.EQUIPMENT.name
    turn.reply("report.area_set", area=render.area_name(turn.plant, area, turn.lang))
    return _then(turn, Report.EQUIPMENT)


# -- equipment -----------------------------------------------------------

def _ask_equipment(turn: Turn) -> None:
    kit = turn.plant.equipment_in(_data(turn)["area"])[:5]
    choices = [(e.code, e.code) for e in kit] + [("button.no_equipment", "none")]
    offer(turn, "report.ask_equipment", choices, examples=", ".join(e.code for e in kit) or "-")


def _take_equipment(turn: Turn, event: Incoming) -> str:
    choice = choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            refuse(turn, "report.equipment_expected")
        return STAY
    data = _data(turn)
    if choice.lower() in NONE_WORDS:
        data["equipment"], data["equipment_given"] = None, True
        return _after_equipment(turn)
    equipment = turn.plant.equipment_by_code.get(choice.upper())
    area = data["area"]
    if equipment is None or equipment.area != area:
        here = ", ".join(e.code for e in turn.plant.equipment_in(area)) or "-"
        key = "report.equipment_unknown" if equipment is None else "report.equipment_elsewhere"
        elsewhere = render.area_name(turn.plant, equipment.area, turn.lang) if equipment else ""
        refuse(turn, key, code=choice[:40], options=here, elsewhere=elsewhere)
        return STAY
    data["equipment"], data["equipment_given"] = equipment.code, True
    return _after_equipment(turn)


def _after_equipment(turn: Turn) -> str:
    """The description is asked unless it was typed while the photos were coming."""
    return _then(turn, Report.CATEGORY if "description" in _data(turn) else Report.DESCRIPTION)


# -- description, category, urgency -------------------------------------

def _ask_description(turn: Turn) -> None:
    turn.reply("report.ask_description")


def _take_description(turn: Turn, event: Incoming) -> str:
    text = event.text.strip() if event.kind is EventKind.TEXT else ""
    if not report_photos.is_description(text):
        turn.reply("report.description_invalid")
        return STAY
    _data(turn)["description"] = text
    return _then(turn, Report.CATEGORY)


def _ask_category(turn: Turn) -> None:
    offer(turn, "report.ask_category", [(c.label(turn.lang), c.id) for c in turn.plant.categories])


def _take_category(turn: Turn, event: Incoming) -> str:
    choice = choose(turn, event)
    categories = turn.plant.categories_by_id
    match = next((c.id for c in categories.values()
                  if choice in (c.id, c.name, c.name_en)), None) if choice else None
    if match is None:
        if choice is not None:
            refuse(turn, "report.category_invalid")
        return STAY
    _data(turn)["category"] = match
    return _then(turn, Report.URGENCY)


def _ask_urgency(turn: Turn) -> None:
    offer(turn, "report.ask_urgency", [(f"severity.{s}", s.value) for s in URGENCIES])


def _take_urgency(turn: Turn, event: Incoming) -> str:
    choice = choose(turn, event)
    match = next((s for s in URGENCIES if choice in (s.value, turn.text(f"severity.{s}"))), None)
    if match is None:
        if choice is not None:
            refuse(turn, "report.urgency_invalid")
        return STAY
    _data(turn)["urgency"] = match.value
    return Report.CONFIRM.name


# -- confirm and edit ----------------------------------------------------

def _ask_confirm(turn: Turn) -> None:
    data, plant, lang = _data(turn), turn.plant, turn.lang
    data.pop("editing", None)
    offer(
        turn, "report.summary",
        [("button.submit", "submit"), ("button.edit", "edit"), ("button.cancel", "cancel")],
        photos=len(data["photos"]),
        area=render.area_name(plant, data["area"], lang),
        location=turn.text(f"location.{data.get('location_source', 'area')}"),
        equipment=data.get("equipment") or turn.text("equipment.none"),
        description=data["description"],
        category=render.category_name(plant, data["category"], lang),
        urgency=turn.text(f"severity.{data['urgency']}"),
        image=data["photos"][0],
    )


def _take_confirm(turn: Turn, event: Incoming) -> str:
    choice = choose(turn, event)
    if choice == "edit":
        return Report.EDIT.name
    if choice == "cancel":
        turn.reply("report.cancelled")
        return END
    if choice != "submit":
        if choice is not None:
            refuse(turn, "report.confirm_expected")
        return STAY
    _submit(turn)
    return END


def _submit(turn: Turn) -> None:
    data = _data(turn)
    location = data.get("location")
    point = GeoPoint(*location) if location else None
    open_ticket(
        OpenTicket(
            reporter=turn.person.id, area=data["area"], category=data["category"],
            urgency=Severity(data["urgency"]), description=data["description"],
            photos=tuple(data["photos"]), equipment=data.get("equipment"),
            location=point, location_source=data.get("location_source", "area"),
        ),
        uow=turn.uow, plant=turn.plant, clock=turn.services.clock,
    )


EDITABLE = (Report.PHOTO, Report.LOCATION, Report.EQUIPMENT, Report.DESCRIPTION,
            Report.CATEGORY, Report.URGENCY)


def _ask_edit(turn: Turn) -> None:
    offer(turn, "report.ask_edit", [(f"field.{s.value}", s.value) for s in EDITABLE])


def _take_edit(turn: Turn, event: Incoming) -> str:
    choice = choose(turn, event)
    step = next((s for s in EDITABLE if s.value == choice), None)
    if step is None:
        if choice is not None:
            refuse(turn, "report.edit_invalid")
        return STAY
    _data(turn)["editing"] = True
    if step is Report.PHOTO:
        _data(turn)["photos"] = []
    return step.name


REPORT: Flow[Report, Turn] = Flow(
    name="report",
    states=Report,
    start=Report.PHOTO,
    steps={
        Report.PHOTO: Step(_ask_photo, _take_photo),
        Report.LOCATION: Step(_ask_location, _take_location),
        Report.EQUIPMENT: Step(_ask_equipment, _take_equipment),
        Report.DESCRIPTION: Step(_ask_description, _take_description),
        Report.CATEGORY: Step(_ask_category, _take_category),
        Report.URGENCY: Step(_ask_urgency, _take_urgency),
        Report.CONFIRM: Step(_ask_confirm, _take_confirm),
        Report.EDIT: Step(_ask_edit, _take_edit),
    },
)

"""/report: a worker reports a hazard step by step (see report.mmd).

photo(s) → location or area → equipment → description → category → urgency →
summary to confirm, edit or cancel; on submit, a report like an open ticket offers to
join that ticket or file anyway (duplicates.py). Each step stores one thing and asks the next;
while editing, a step returns to the summary instead. Every button can also be
typed, by its label or its number (see choices.py); a description typed while
photos are expected is kept, and its own step is then skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from core.dialog import END, STAY, EventKind, Flow, Incoming, Outcome, Step
from core.plant import Severity
from core.reminder_settings import DRAFT_KEPT
from handlers import duplicates, places, render, report_photos
from handlers.choices import choose, offer, refuse
from handlers.context import Turn
from handlers.drafts import LocationSource, ReportDraft

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
    DUPLICATE = "duplicate"  # it looks like an open ticket: join it, or file anyway


# What a step returns: the next state, END or STAY.
Next = Report | Outcome


def _draft(turn: Turn) -> ReportDraft:
    return REPORT.record_of(turn)


def _then(turn: Turn, natural: Report) -> Report:
    return Report.CONFIRM if _draft(turn).editing else natural


# -- photo ---------------------------------------------------------------

def _ask_photo(turn: Turn) -> None:
    turn.reply("report.ask_photo")


def _take_photo(turn: Turn, event: Incoming) -> Next:
    return _after_photos(turn) if report_photos.take(turn, _draft(turn), event) else STAY


def _after_photos(turn: Turn) -> Report:
    draft = _draft(turn)
    exif, draft.exif_location = draft.exif_location, None
    if exif and draft.area is None:
        area = places.area_at(turn.plant, exif)
        if area:
            draft.area, draft.location, draft.location_source = area, exif, LocationSource.EXIF
            turn.reply("report.location_from_photo",
                       area=render.area_name(turn.plant, area, turn.lang))
            return _then(turn, Report.EQUIPMENT)
    return _then(turn, Report.LOCATION)


# -- location ------------------------------------------------------------

def _ask_location(turn: Turn) -> None:
    offer(turn, "report.ask_location", [(a.label(turn.lang), a.id) for a in turn.plant.areas])


def _take_location(turn: Turn, event: Incoming) -> Next:
    draft = _draft(turn)
    if event.kind is EventKind.LOCATION and event.location is not None:
        point = event.location
        area = places.area_at(turn.plant, point)
        if area is None:
            km = places.distance_from_site_m(turn.plant, point) / 1000 if point.is_valid() else 0
            refuse(turn, "report.location_off_site", km=f"{km:.1f}")
            return STAY
        draft.location, draft.location_source = point, LocationSource.MESSAGE
    else:
        choice = choose(turn, event)
        area = places.area_by_text(turn.plant, choice) if choice else None
        if area is None:
            if choice is not None:
                refuse(turn, "report.area_unknown")
            elif event.kind is not EventKind.BUTTON:
                refuse(turn, "report.location_expected")
            return STAY
        draft.location, draft.location_source = None, LocationSource.AREA
    if draft.area != area:
        draft.area = area
        equipment = turn.plant.equipment_by_code.get((draft.equipment or "").upper())
        if equipment and equipment.area != area:
            draft.equipment = None
            return Report.EQUIPMENT
    turn.reply("report.area_set", area=render.area_name(turn.plant, area, turn.lang))
    return _then(turn, Report.EQUIPMENT)


# -- equipment -----------------------------------------------------------

def _ask_equipment(turn: Turn) -> None:
    kit = turn.plant.equipment_in(_draft(turn).area or "")[:5]
    choices = [(e.code, e.code) for e in kit] + [("button.no_equipment", "none")]
    offer(turn, "report.ask_equipment", choices, examples=", ".join(e.code for e in kit) or "-")


def _take_equipment(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            refuse(turn, "report.equipment_expected")
        return STAY
    draft = _draft(turn)
    if choice.lower() in NONE_WORDS:
        draft.equipment = None
        return _after_equipment(turn)
    equipment = turn.plant.equipment_by_code.get(choice.upper())
    area = draft.area or ""
    if equipment is None or equipment.area != area:
        here = ", ".join(e.code for e in turn.plant.equipment_in(area)) or "-"
        key = "report.equipment_unknown" if equipment is None else "report.equipment_elsewhere"
        elsewhere = render.area_name(turn.plant, equipment.area, turn.lang) if equipment else ""
        refuse(turn, key, code=choice[:40], options=here, elsewhere=elsewhere)
        return STAY
    draft.equipment = equipment.code
    return _after_equipment(turn)


def _after_equipment(turn: Turn) -> Report:
    """The description is asked unless it was typed while the photos were coming."""
    typed = _draft(turn).description is not None
    return _then(turn, Report.CATEGORY if typed else Report.DESCRIPTION)


# -- description, category, urgency -------------------------------------

def _ask_description(turn: Turn) -> None:
    turn.reply("report.ask_description")


def _take_description(turn: Turn, event: Incoming) -> Next:
    text = event.text.strip() if event.kind is EventKind.TEXT else ""
    if not report_photos.is_description(text):
        turn.reply("report.description_invalid")
        return STAY
    _draft(turn).description = text
    return _then(turn, Report.CATEGORY)


def _ask_category(turn: Turn) -> None:
    offer(turn, "report.ask_category", [(c.label(turn.lang), c.id) for c in turn.plant.categories])


def _take_category(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    categories = turn.plant.categories_by_id
    match = next((c.id for c in categories.values()
                  if choice in (c.id, c.name, c.name_en)), None) if choice else None
    if match is None:
        if choice is not None:
            refuse(turn, "report.category_invalid")
        return STAY
    _draft(turn).category = match
    return _then(turn, Report.URGENCY)


def _ask_urgency(turn: Turn) -> None:
    offer(turn, "report.ask_urgency", [(f"severity.{s}", s.value) for s in URGENCIES])


def _take_urgency(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    match = next((s for s in URGENCIES if choice in (s.value, turn.text(f"severity.{s}"))), None)
    if match is None:
        if choice is not None:
            refuse(turn, "report.urgency_invalid")
        return STAY
    _draft(turn).urgency = match
    return Report.CONFIRM


# -- confirm and edit ----------------------------------------------------

def _ask_confirm(turn: Turn) -> None:
    draft, plant, lang = _draft(turn), turn.plant, turn.lang
    draft.editing = False
    # Every field is there on the way here; only a damaged saved draft lacks one (see below).
    offer(
        turn, "report.summary",
        [("button.submit", "submit"), ("button.edit", "edit"), ("button.cancel", "cancel")],
        photos=len(draft.photos),
        area=render.area_name(plant, draft.area or "-", lang),
        location=turn.text(f"location.{draft.location_source}"),
        equipment=draft.equipment or turn.text("equipment.none"),
        description=draft.description or "-",
        category=render.category_name(plant, draft.category or "-", lang),
        urgency=turn.text(f"severity.{draft.urgency}") if draft.urgency else "-",
        image=draft.photos[0] if draft.photos else None,
    )


# The step that asks for each field of the draft.
ASKED_BY = {"photos": Report.PHOTO, "area": Report.LOCATION, "description": Report.DESCRIPTION,
            "category": Report.CATEGORY, "urgency": Report.URGENCY}


def _take_confirm(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice == "edit":
        return Report.EDIT
    if choice == "cancel":
        turn.reply("report.cancelled")
        return END
    if choice != "submit":
        if choice is not None:
            refuse(turn, "report.confirm_expected")
        return STAY
    draft = _draft(turn)
    command = draft.command(turn.person.id)
    if command is None:  # a draft saved by another version lost a field: ask for it again
        return ASKED_BY[draft.missing()[0]]
    finding = duplicates.look(turn, command)
    if finding.match is not None:
        return Report.DUPLICATE
    duplicates.file(turn, command, finding)
    return END


def _ask_duplicate(turn: Turn) -> None:
    command = _draft(turn).command(turn.person.id)
    if command is not None:  # the summary's submit checked it
        duplicates.ask(turn, command)


def _take_duplicate(turn: Turn, event: Incoming) -> Next:
    draft = _draft(turn)
    command = draft.command(turn.person.id)
    if command is None:
        return ASKED_BY[draft.missing()[0]]
    return END if duplicates.take(turn, command, event) else STAY


EDITABLE = (Report.PHOTO, Report.LOCATION, Report.EQUIPMENT, Report.DESCRIPTION,
            Report.CATEGORY, Report.URGENCY)


def _ask_edit(turn: Turn) -> None:
    offer(turn, "report.ask_edit", [(f"field.{s.value}", s.value) for s in EDITABLE])


def _take_edit(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    step = next((s for s in EDITABLE if s.value == choice), None)
    if step is None:
        if choice is not None:
            refuse(turn, "report.edit_invalid")
        return STAY
    draft = _draft(turn)
    draft.editing = True
    if step is Report.PHOTO:
        draft.photos = []
    return step


def _photo_once(take: Callable[[Turn, Incoming], Next]) -> Callable[[Turn, Incoming], Next]:
    """A step after the photos answers a photo the report already has as already received,
    and takes everything else as it would."""

    def step(turn: Turn, event: Incoming) -> Next:
        return STAY if report_photos.repeated(turn, _draft(turn), event) else take(turn, event)

    return step


REPORT: Flow[Report, Turn, ReportDraft] = Flow(
    name="report",
    states=Report,
    start=Report.PHOTO,
    record=ReportDraft,
    steps={
        Report.PHOTO: Step(_ask_photo, _take_photo),
        Report.LOCATION: Step(_ask_location, _photo_once(_take_location)),
        Report.EQUIPMENT: Step(_ask_equipment, _photo_once(_take_equipment)),
        Report.DESCRIPTION: Step(_ask_description, _photo_once(_take_description)),
        Report.CATEGORY: Step(_ask_category, _photo_once(_take_category)),
        Report.URGENCY: Step(_ask_urgency, _photo_once(_take_urgency)),
        Report.CONFIRM: Step(_ask_confirm, _photo_once(_take_confirm)),
        Report.EDIT: Step(_ask_edit, _photo_once(_take_edit)),
        Report.DUPLICATE: Step(_ask_duplicate, _photo_once(_take_duplicate)),
    },
    # A draft is kept a day: after `reminders.draft` (30 min) its reporter hears it is kept
    # and how to go on (draft_nudges.py), so an interrupted worker loses nothing.
    timeout=DRAFT_KEPT,
)

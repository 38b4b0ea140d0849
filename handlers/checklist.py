"""The checklist after a check-in (see checkin.mmd): each item answered OK, Not OK or N/A by
button, typed label or number; Not OK asks for a photo, a description, the equipment and
the category, and opens a hazard ticket routed as any report is.

item ─ok / n/a─► next item … ─last─► the checklist is kept, the checkpoint done
  └─not ok─► photo → description → equipment → category → ticket ─► next item

The steps take the conversation's record as an argument; handlers/checkin.py holds the flow.
"""

from __future__ import annotations

from collections.abc import Callable

from core.checkin_services import keep_checklist, left_in
from core.checklist_items import Item, items_for
from core.dialog import END, STAY, EventKind, Incoming, Outcome
from core.events import TicketOpened
from core.inspections import Answer, ChecklistAnswer
from core.plant import Equipment, Plant
from core.services import OpenTicket, open_ticket
from handlers import photos, render, round_render
from handlers.checkin_draft import Answered, CheckInDraft, Inspect
from handlers.choices import choose, offer, refuse
from handlers.context import ButtonSpec, Turn
from handlers.drafts import LocationSource
from handlers.i18n import CATALOGS, label, t
from handlers.report import NONE_WORDS
from handlers.report_photos import is_description

Next = Inspect | Outcome
# A step as this module writes it: ask and take, each handed the conversation's record.
DraftStep = tuple[Callable[[Turn, CheckInDraft], None],
                  Callable[[Turn, CheckInDraft, Incoming], Next]]
ANSWERS: tuple[ButtonSpec, ...] = (
    ("button.item_ok", Answer.OK.value),
    ("button.item_not_ok", Answer.NOT_OK.value),
    ("button.item_na", Answer.NOT_APPLICABLE.value),
)
# WeCom cards carry six buttons at most: five machines and "no equipment".
MAX_EQUIPMENT_BUTTONS = 5


def first(turn: Turn, draft: CheckInDraft) -> Next:
    """Where a checklist starts once the check-in is made."""
    return _next(turn, draft)


def _items(plant: Plant, draft: CheckInDraft) -> dict[str, Item]:
    return {item.key: item for item in items_for(plant, draft.area or "")}


def _current(turn: Turn, draft: CheckInDraft) -> Item:
    """The item being asked; one plant.yaml no longer has is asked by its key."""
    key = draft.current or ""
    return _items(turn.plant, draft).get(key) or Item(key, key)


# -- one item ------------------------------------------------------------

def ask_item(turn: Turn, draft: CheckInDraft) -> None:
    item, lang = _current(turn, draft), turn.lang
    hazard = _hazard(turn.plant, draft, item, lang)
    offer(turn, "checklist.item_risk" if hazard else "checklist.item", ANSWERS,
          number=len(draft.answers) + 1, count=len(draft.items), text=item.label(lang),
          hazard=hazard)


def _hazard(plant: Plant, draft: CheckInDraft, item: Item, lang: str) -> str:
    area = plant.areas_by_id.get(draft.area or "")
    point = next((p for p in area.risk_points if p.id == item.risk_point), None) if area else None
    return point.label(lang) if point else ""


def take_item(turn: Turn, draft: CheckInDraft, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            refuse(turn, "checklist.answer_expected")
        return STAY
    answer = answer_of(choice)
    if answer is None:
        refuse(turn, "checklist.answer_expected")
        return STAY
    if answer is Answer.NOT_OK:
        draft.forget_finding()
        return Inspect.PHOTO
    item = _current(turn, draft)
    draft.answers.append(Answered(item.key, answer, item.risk_point))
    return _next(turn, draft)


def answer_of(text: str) -> Answer | None:
    """An answer from a button's value or a label typed in any of the bot's languages."""
    wanted = text.strip().casefold()
    for key, value in ANSWERS:
        if wanted == value or wanted in (label(lang, key).casefold() for lang in CATALOGS):
            return Answer(value)
    return None


def _next(turn: Turn, draft: CheckInDraft) -> Next:
    if draft.current is not None:
        return Inspect.ITEM
    finish(turn, draft)
    return END


# -- a Not OK finding ----------------------------------------------------

def ask_photo(turn: Turn, draft: CheckInDraft) -> None:
    turn.reply("checklist.ask_photo", text=_current(turn, draft).label(turn.lang))


def take_photo(turn: Turn, draft: CheckInDraft, event: Incoming) -> Next:
    stored = photos.accept(turn, event)
    if stored is None:
        return STAY
    draft.photo = stored.sha256
    return Inspect.DESCRIPTION


def ask_description(turn: Turn, _draft: CheckInDraft) -> None:
    turn.reply("checklist.ask_description")


def take_description(turn: Turn, draft: CheckInDraft, event: Incoming) -> Next:
    text = event.text.strip() if event.kind is EventKind.TEXT else ""
    if not is_description(text):
        turn.reply("report.description_invalid")
        return STAY
    draft.description = text
    return Inspect.EQUIPMENT


def _kit(plant: Plant, draft: CheckInDraft, item: Item) -> list[Equipment]:
    """The area's equipment, the machine the item's risk point sits on first."""
    kit = plant.equipment_in(draft.area or "")
    return sorted(kit, key=lambda e: e.code != item.equipment)


def ask_equipment(turn: Turn, draft: CheckInDraft) -> None:
    kit = _kit(turn.plant, draft, _current(turn, draft))
    shown = kit[:MAX_EQUIPMENT_BUTTONS]
    choices = [(e.code, e.code) for e in shown] + [("button.no_equipment", "none")]
    offer(turn, "report.ask_equipment", choices, examples=", ".join(e.code for e in kit) or "-")


def take_equipment(turn: Turn, draft: CheckInDraft, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            refuse(turn, "report.equipment_expected")
        return STAY
    if choice.casefold() in NONE_WORDS:
        draft.equipment = None
        return Inspect.CATEGORY
    plant, area = turn.plant, draft.area or ""
    equipment = plant.equipment_by_code.get(choice.upper())
    if equipment is None or equipment.area != area:
        here = ", ".join(e.code for e in plant.equipment_in(area)) or "-"
        key = "report.equipment_unknown" if equipment is None else "report.equipment_elsewhere"
        elsewhere = render.area_name(plant, equipment.area, turn.lang) if equipment else ""
        refuse(turn, key, code=choice[:40], options=here, elsewhere=elsewhere)
        return STAY
    draft.equipment = equipment.code
    return Inspect.CATEGORY


def ask_category(turn: Turn, _draft: CheckInDraft) -> None:
    offer(turn, "report.ask_category",
          [(c.label(turn.lang), c.id) for c in turn.plant.categories])


def take_category(turn: Turn, draft: CheckInDraft, event: Incoming) -> Next:
    choice = choose(turn, event)
    match = next((c.id for c in turn.plant.categories
                  if choice in (c.id, c.name, c.name_en)), None) if choice else None
    if match is None:
        if choice is not None:
            refuse(turn, "report.category_invalid")
        return STAY
    if draft.photo is None or draft.description is None or draft.area is None:
        return Inspect.PHOTO  # a record saved by another version lost the finding: ask again
    item = _current(turn, draft)
    code = _open_ticket(turn, draft, item, match)
    draft.answers.append(Answered(item.key, Answer.NOT_OK, item.risk_point, code,
                                  draft.description))
    draft.forget_finding()
    return _next(turn, draft)


def _open_ticket(turn: Turn, draft: CheckInDraft, item: Item, category: str) -> str:
    """The finding as a hazard ticket, the same way a report opens one; its code."""
    plant = turn.plant
    described = t(plant.language, "checklist.finding", checkpoint=draft.checkpoint or "-",
                  item=item.label(plant.language), text=draft.description)
    command = OpenTicket(
        reporter=turn.person.id, area=draft.area or "", category=category,
        urgency=item.urgency, description=described, photos=(draft.photo or "",),
        equipment=draft.equipment, location=draft.location,
        location_source=(LocationSource.MESSAGE if draft.location else LocationSource.AREA).value,
    )
    events = open_ticket(command, uow=turn.uow, plant=plant, clock=turn.services.clock)
    # The ticket's notices now rather than at commit, still in this transaction: the
    # inspector (safety staff, so also asked to validate it) then finds the next item's
    # question below them, its buttons the newest ones in the chat.
    turn.services.events.dispatch(turn.uow)
    return next(e.code for e in events if isinstance(e, TicketOpened))


# -- the end -------------------------------------------------------------

def finish(turn: Turn, draft: CheckInDraft) -> None:
    """Keep the whole checklist, and say how it went and what is left of the round."""
    checkin = turn.uow.checkins.get(draft.checkin_id) if draft.checkin_id else None
    if checkin is None:
        turn.reply("conversation.expired")
        return
    now = turn.services.clock.now()
    keep_checklist(checkin, [
        ChecklistAnswer(checkin_id=checkin.id or 0, item=a.item, answer=a.answer,
                        risk_point=a.risk_point, ticket=a.ticket, note=a.note, at=now)
        for a in draft.answers
    ], uow=turn.uow, clock=turn.services.clock)
    round_ = turn.uow.rounds.get(checkin.round_id)
    remaining = left_in(turn.uow, round_) if round_ else ()
    counts = {answer: sum(a.answer is answer for a in draft.answers) for answer in Answer}
    tickets = [a.ticket for a in draft.answers if a.ticket]
    turn.reply(
        "checklist.done", checkpoint=checkin.checkpoint, ok=counts[Answer.OK],
        not_ok=counts[Answer.NOT_OK], na=counts[Answer.NOT_APPLICABLE],
        tickets=turn.text("checklist.tickets", codes=", ".join(tickets)) if tickets else "",
        left=turn.text("checklist.left", checkpoints=round_render.checkpoints(turn.lang,
                                                                            remaining))
        if remaining else turn.text("checklist.round_done"),
    )

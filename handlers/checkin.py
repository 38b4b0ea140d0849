"""/checkin: an inspector proves presence at a checkpoint of their round, then answers its
checklist (handlers/checklist.py; see checkin.mmd).

The location must be the sender's own, sent just now (a live location counts as now), precise
enough and within the radius of the nearest checkpoint still to do (core/checkin.py); a
refusal says why, with the distance in metres, and the step waits for another location. A
photo sent meanwhile is kept as supporting evidence, never as the check-in itself.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.checkin import Fix, PhotoEvidence, Refusal, Rules, Verdict, judge, rules_of
from core.checkin_services import Due, check_in, due_checkpoints, todays_rounds
from core.checklist_items import items_for
from core.dialog import END, STAY, EventKind, Flow, Incoming, Step
from core.geo import GeoPoint
from core.reminder_settings import DRAFT_KEPT
from handlers import checklist, photos, render, round_render
from handlers.checkin_draft import CheckInDraft, Inspect
from handlers.choices import choose
from handlers.context import Turn
from handlers.flows import chat_key, hand_off_to_dm, save_or_end, start_flow

Next = checklist.Next


def begin(turn: Turn) -> None:
    """/checkin: asks for the location when a checkpoint is due, else says why not."""
    if turn.event.is_group:
        hand_off_to_dm(turn, "checkin", "checkin.use_dm")
        return
    if _carry_on(turn):
        return
    if not due_checkpoints(turn.uow, turn.plant, turn.person.id, turn.services.clock.now()):
        _nothing_due(turn)
        return
    start_flow(turn, CHECKIN)


def _carry_on(turn: Turn) -> bool:
    """/checkin again in the middle of a checklist asks its current question again rather
    than dropping the answers given so far; True when it did."""
    running = turn.uow.conversations.get(chat_key(turn))
    if running is None or running.flow != CHECKIN.name or not CHECKIN.resume(running):
        return False
    state = CHECKIN.state_of(running)
    if state is None or state is Inspect.LOCATION:
        return False
    turn.conversation = running
    running.rev += 1  # the buttons shown before are stale now: only the new ones count
    CHECKIN.steps[state].ask(turn)
    save_or_end(turn, ended=False)
    return True


def _nothing_due(turn: Turn) -> None:
    plant, now = turn.plant, turn.services.clock.now()
    rounds = todays_rounds(turn.uow, plant, turn.person.id, now)
    upcoming = [r for r in rounds if r.opens_at > now]
    if upcoming:
        opens = upcoming[0].opens_at.astimezone(ZoneInfo(plant.timezone))
        turn.reply("checkin.not_yet", title=round_render.title(plant, upcoming[0], turn.lang),
                   opens=f"{opens:%H:%M}")
    else:
        turn.reply("checkin.all_done" if rounds else "checkin.no_round")


def _draft(turn: Turn) -> CheckInDraft:
    return CHECKIN.record_of(turn)


def _due(turn: Turn) -> list[Due]:
    return due_checkpoints(turn.uow, turn.plant, turn.person.id, turn.services.clock.now())


# -- location ------------------------------------------------------------

def _ask_location(turn: Turn) -> None:
    places = dict.fromkeys(d.checkpoint.id for d in _due(turn))
    turn.reply("checkin.ask_location",
               checkpoints=round_render.checkpoints(turn.lang, places))


def _take_location(turn: Turn, event: Incoming) -> Next:
    draft = _draft(turn)
    if event.kind in (EventKind.PHOTO, EventKind.DOCUMENT):
        _keep_evidence(turn, draft, event)
        return STAY
    if event.kind is not EventKind.LOCATION or event.location is None:
        if event.kind is EventKind.BUTTON:
            choose(turn, event)  # a button of an earlier message: says it is stale
        else:
            turn.reply("checkin.location_expected")
        return STAY
    due = _due(turn)
    if not due:
        _nothing_due(turn)
        return END
    fix = Fix(event.location, event.sent_at, event.forwarded, event.live)
    rules = rules_of(turn.plant.inspections)
    verdict = judge(fix, [d.checkpoint for d in due], rules, turn.services.clock.now())
    if not verdict.accepted or verdict.checkpoint is None:
        _refuse(turn, verdict, rules)
        return STAY
    here = next(d for d in due if d.checkpoint == verdict.checkpoint)
    evidence = PhotoEvidence(draft.evidence, draft.evidence_gps, draft.evidence_taken_at).note(
        here.checkpoint) if draft.evidence else ""
    made = check_in(here, fix, distance_m=verdict.distance_m, person=turn.person.id,
                    evidence=evidence, uow=turn.uow, clock=turn.services.clock)
    draft.checkin_id, draft.round_id = made.id, here.round.id
    draft.checkpoint, draft.area, draft.location = here.checkpoint.id, here.round.area, fix.point
    draft.items = [item.key for item in items_for(turn.plant, here.round.area)]
    _accepted(turn, here, verdict, fix.point, len(draft.items))
    return checklist.first(turn, draft)


def _keep_evidence(turn: Turn, draft: CheckInDraft, event: Incoming) -> None:
    stored = photos.accept(turn, event)
    if stored is None:
        return
    draft.evidence, draft.evidence_gps = stored.sha256, stored.gps
    draft.evidence_taken_at = stored.taken_at
    turn.reply("checkin.photo_kept")


def _accepted(turn: Turn, here: Due, verdict: Verdict, point: GeoPoint, count: int) -> None:
    plant, lang = turn.plant, turn.lang
    accuracy = (turn.text("checkin.accuracy_m", metres=f"{point.accuracy_m:.0f}")
                if point.accuracy_m is not None else turn.text("checkin.accuracy_unknown"))
    closes = here.round.closes_at.astimezone(ZoneInfo(plant.timezone))
    turn.reply(
        "checkin.accepted", checkpoint=here.checkpoint.id,
        area=render.area_name(plant, here.round.area, lang),
        distance=f"{verdict.distance_m:.0f}", accuracy=accuracy,
        late=turn.text("checkin.late", closes=f"{closes:%H:%M}") if here.late else "",
        count=count,
    )


def _refuse(turn: Turn, verdict: Verdict, rules: Rules) -> None:
    """Why the location does not check in, and what to do instead; the step waits."""
    reason = verdict.refusal or Refusal.TOO_FAR
    values: dict[str, object] = {}
    if reason is Refusal.STALE and verdict.age is not None:
        values = {"minutes": int(verdict.age.total_seconds() // 60),
                  "limit": _minutes(rules.fresh_within.total_seconds())}
    elif reason is Refusal.INACCURATE:
        accuracy = turn.event.location.accuracy_m if turn.event.location else None
        values = {"accuracy": f"{accuracy or 0:.0f}", "limit": f"{rules.accuracy_m:.0f}"}
    elif reason is Refusal.TOO_FAR and verdict.checkpoint is not None:
        checkpoint = verdict.checkpoint
        values = {"distance": f"{verdict.distance_m:.0f}", "checkpoint": checkpoint.id,
                  "area": render.area_name(turn.plant, checkpoint.area, turn.lang),
                  "radius": f"{checkpoint.radius_m:.0f}"}
    event = turn.event
    turn.notify.to_chat(event.channel, event.chat, turn.lang, f"checkin.{reason}",
                        person=turn.person.id, values=values)


def _minutes(seconds: float) -> int:
    """A limit in whole minutes, at least one."""
    return max(1, -int(-seconds // 60))


def _with_draft(step: checklist.DraftStep) -> Step[Inspect, Turn]:
    ask, take = step
    return Step(lambda turn: ask(turn, _draft(turn)),
                lambda turn, event: take(turn, _draft(turn), event))


CHECKIN: Flow[Inspect, Turn, CheckInDraft] = Flow(
    name="checkin",
    states=Inspect,
    start=Inspect.LOCATION,
    record=CheckInDraft,
    steps={
        Inspect.LOCATION: Step(_ask_location, _take_location),
        Inspect.ITEM: _with_draft((checklist.ask_item, checklist.take_item)),
        Inspect.PHOTO: _with_draft((checklist.ask_photo, checklist.take_photo)),
        Inspect.DESCRIPTION: _with_draft((checklist.ask_description, checklist.take_description)),
        Inspect.EQUIPMENT: _with_draft((checklist.ask_equipment, checklist.take_equipment)),
        Inspect.CATEGORY: _with_draft((checklist.ask_category, checklist.take_category)),
    },
    # A checklist may take a while (a finding is photographed and described); kept as a
    # report draft is, so a worker interrupted on the floor loses nothing.
    timeout=DRAFT_KEPT,
)

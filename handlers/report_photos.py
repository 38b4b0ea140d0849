"""The photo step of /report: each photo counted once, "photos done" by button or word,
and a description typed between photos kept rather than thrown away."""

from __future__ import annotations

import hashlib

from core.dialog import EventKind, Incoming
from handlers import photos
from handlers.choices import choose, offer, refuse
from handlers.context import ButtonSpec, Turn
from handlers.drafts import ReportDraft

MAX_PHOTOS = 5
DONE_WORDS = {"next", "完成", "done", "ok"}
PHOTOS_DONE: ButtonSpec = ("button.photos_done", "next")
PREVIEW = 60


def is_description(text: str) -> bool:
    """Whether a report takes this text as its description."""
    return 4 <= len(text) <= 1000


def take(turn: Turn, draft: ReportDraft, event: Incoming) -> bool:
    """Take one event of the photo step; True once the photos are done."""
    if event.kind in (EventKind.BUTTON, EventKind.TEXT):
        return _take_text(turn, draft, event)
    stored = photos.accept(turn, event)
    if stored is None:
        return False
    taken = draft.photos
    if stored.sha256 in taken:
        offer(turn, "report.photo_duplicate", [PHOTOS_DONE], count=len(taken))
        return False
    taken.append(stored.sha256)
    if stored.gps and draft.location is None:
        draft.exif_location = stored.gps
    if len(taken) >= MAX_PHOTOS:
        return True
    offer(turn, "report.photo_received", [PHOTOS_DONE], count=len(taken))
    return False


def repeated(turn: Turn, draft: ReportDraft, event: Incoming) -> bool:
    """Whether the event is a photo this report already has, sent again at a later step
    (people resend when unsure it arrived): answered as such with the step's buttons, and
    not counted. Photos are kept by the SHA-256 of their bytes, so the hash says it."""
    attachment = event.attachment
    if (event.kind not in (EventKind.PHOTO, EventKind.DOCUMENT) or attachment is None
            or attachment.data is None):
        return False
    if hashlib.sha256(attachment.data).hexdigest() not in draft.photos:
        return False
    refuse(turn, "report.photo_already", count=len(draft.photos))
    return True


def _take_text(turn: Turn, draft: ReportDraft, event: Incoming) -> bool:
    choice = choose(turn, event)
    if choice is None:
        return False
    done = choice.casefold() in DONE_WORDS
    if done and draft.photos:
        return True
    # People often type the description right after the photo: keep the first one.
    if not done and draft.description is None and is_description(choice):
        draft.description = choice
        preview = choice if len(choice) <= PREVIEW else choice[:PREVIEW - 1] + "…"
        if draft.photos:
            offer(turn, "report.description_kept_more", [PHOTOS_DONE], description=preview)
        else:
            turn.reply("report.description_kept", description=preview)
        return False
    if draft.photos:
        offer(turn, "report.photo_more", [PHOTOS_DONE])
    else:
        turn.reply("report.photo_needed")
    return False

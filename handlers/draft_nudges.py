"""A report draft left alone for `reminders.draft` (30 min): its reporter hears, once, that it
is kept, at which step it waits, and that the next item goes on and /cancel drops it.

Once per idle period: the conversation row keeps when its person was nudged, and only a new
touch (a later `updated_at`) makes the draft due again, so a repeated sweep, a restart or a
second process sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.dialog import Conversation
from core.ports import UnitOfWork
from core.sweep import BATCH, Batch, sweep_in_batches
from handlers import render
from handlers.context import Notifier, Services
from handlers.i18n import t
from handlers.identity import person_of
from handlers.report import REPORT


def nudge_idle_drafts(services: Services, *, batch: int = BATCH) -> int:
    """Tell each reporter whose draft became idle that it is kept, a batch per transaction
    (core/sweep.py); how many were told."""

    def step(uow: UnitOfWork, limit: int) -> Batch:
        now = services.clock.now()
        drafts = uow.conversations.idle(
            REPORT.name, touched_after=now - REPORT.timeout,
            touched_by=now - _idle_after(services), limit=limit)
        told = 0
        for draft in drafts:
            told += _tell(services, uow, draft)
            # Marked even when nobody could be told, so the draft is not found again.
            uow.conversations.nudged(draft.key, now)
        return Batch(claimed=len(drafts), done=told)

    return sweep_in_batches(services.uow, step, size=batch)


def next_draft_nudge(services: Services) -> datetime | None:
    """When the next draft becomes idle, if one is waiting to."""
    with services.uow() as uow:
        touched = uow.conversations.next_idle_touch(
            REPORT.name, touched_after=services.clock.now() - REPORT.timeout)
    return None if touched is None else touched + _idle_after(services)


def _idle_after(services: Services) -> timedelta:
    return services.plant.reminders.draft_after


def _tell(services: Services, uow: UnitOfWork, draft: Conversation) -> bool:
    key = draft.key
    state = REPORT.state_of(draft)
    person = person_of(services, uow, key.channel, key.sender)
    # A step this version lacks ends on the next message anyway; a person gone from the
    # roster, or a channel no longer served, cannot go on with the draft.
    if state is None or person is None or key.channel not in services.channels:
        return False
    notify = Notifier(services, uow)
    lang = notify.language(person.id)
    notify.to_chat(
        key.channel, key.chat, lang, "report.draft_kept", person=person.id,
        step=t(lang, f"field.{state.value}"),
        until=render.local_time(services.plant, draft.updated_at + REPORT.timeout),
    )
    return True

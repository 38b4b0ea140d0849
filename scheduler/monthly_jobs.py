"""The monthly report's sends: to the managers at 08:00 plant time on the 1st (the month
before), and to whoever asked with `/report YYYY-MM`.

Each send draws first, outside any transaction (`Services.monthly`, bot/monthly_cli.py), then
in one transaction keeps its row and queues the files: the scheduled row is unique per
month and a request is marked served with a guarded update, so a second process, a repeated
sweep or a restart sends nothing twice; a process killed while drawing kept nothing, and the
next sweep draws again. A month without any ticket reported is not sent on schedule (a new
installation has nothing to analyse)."""

from __future__ import annotations

import logging
from datetime import datetime

from core.blobs import StoredFile
from core.figures import month_of
from core.monthly import label, month_argument, next_send, receivers, scheduled_month
from core.ports import TicketFilter, UnitOfWork
from handlers.context import Notifier, Services

log = logging.getLogger(__name__)

BATCH = 10  # requests drawn per sweep; the rest wait for the next one


def send_monthly_reports(services: Services) -> int:
    """Send what is due now; returns how many messages were queued."""
    if services.monthly is None:
        return 0
    return _scheduled(services) + _requested(services)


def next_monthly(services: Services) -> datetime | None:
    if services.monthly is None:
        return None
    now = services.clock.now()
    with services.uow() as uow:
        if uow.monthly_reports.pending(limit=1) or _due_month(services, uow, now):
            return now
    return next_send(services.plant, now)


def _due_month(services: Services, uow: UnitOfWork, now: datetime) -> tuple[int, int] | None:
    """The month the managers are due to receive now, unless sent or without tickets."""
    due = scheduled_month(services.plant, now)
    if due is None or uow.monthly_reports.scheduled_sent(label(*due)):
        return None
    span = month_of(services.plant, *due)
    reported = uow.tickets.count(TicketFilter(created_from=span.start, created_before=span.end))
    return due if reported else None


def _scheduled(services: Services) -> int:
    assert services.monthly is not None
    now = services.clock.now()
    with services.uow() as uow:
        due = _due_month(services, uow, now)
        if due is None:
            return 0
        notify = Notifier(services, uow)
        readers = {person: notify.language(person) for person in receivers(services.plant)}
    try:
        drawn = {lang: services.monthly.render(*due, lang) for lang in set(readers.values())}
    except Exception:  # the next sweep tries again
        log.exception("the monthly report of %s could not be drawn", label(*due))
        return 0
    with services.uow() as uow:
        if not uow.monthly_reports.mark_scheduled(label(*due), now):
            return 0  # another process sent it while this one drew
        notify = Notifier(services, uow)
        for person, lang in readers.items():
            _send(services, notify, person, label(*due), drawn[lang])
        uow.commit()
    return 2 * len(readers)


def _requested(services: Services) -> int:
    assert services.monthly is not None
    with services.uow() as uow:
        pending = uow.monthly_reports.pending(limit=BATCH)
    queued = 0
    for asked in pending:
        wanted = month_argument(asked.month)
        files = None
        try:
            if wanted is not None:
                files = services.monthly.render(*wanted, asked.lang)
        except Exception:  # answered with an apology, not retried forever
            log.exception("the monthly report of %s could not be drawn", asked.month)
        with services.uow() as uow:
            if not uow.monthly_reports.served(asked.id, services.clock.now()):
                continue
            notify = Notifier(services, uow)
            if files is None:
                notify.to_person(asked.person, "monthly.failed", month=asked.month)
            else:
                _send(services, notify, asked.person, asked.month, files)
            uow.commit()
        queued += 1
    return queued


def _send(services: Services, notify: Notifier, person: str, month: str,
          files: tuple[StoredFile, StoredFile]) -> None:
    pdf, ledger = files
    notify.to_person(person, "monthly.sent", attachment=pdf, plant=services.plant.name,
                     month=month)
    notify.to_person(person, "monthly.ledger_sent", attachment=ledger, month=month)

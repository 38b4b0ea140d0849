"""`/report YYYY-MM`: the month's 《隐患治理分析报告》 and ledger, on request, for managers
and safety staff (`/report` alone, or with anything but a month, stays the hazard report).

The turn only keeps the request (core/monthly_log.py) and says it is coming: drawing a
report takes seconds and must not happen inside the turn's transaction. The monthly job
(scheduler/monthly_jobs.py) draws it and sends both files, also after a restart."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from core.monthly import ASKERS, label, month_argument, shift
from core.plant import Person
from handlers.context import Turn


def may_ask(person: Person) -> bool:
    return person.has(*ASKERS)


def asks_for_month(turn: Turn) -> bool:
    """Whether a `/report` names a month (YYYY-MM) rather than starting a hazard report."""
    return month_argument(turn.event.args) is not None


def request(turn: Turn) -> None:
    wanted = month_argument(turn.event.args)
    assert wanted is not None  # asks_for_month said so
    month = label(*wanted)
    if not may_ask(turn.person):
        turn.reply("monthly.not_allowed")
        return
    if turn.services.monthly is None:
        turn.reply("monthly.unavailable")
        return
    local = turn.services.clock.now().astimezone(ZoneInfo(turn.plant.timezone))
    if wanted > (local.year, local.month):
        turn.reply("monthly.future", month=month,
                   example=label(*shift(local.year, local.month, -1)))
        return
    log = turn.uow.monthly_reports
    if any(r.person == turn.person.id and r.month == month for r in log.pending(limit=100)):
        turn.reply("monthly.already_requested", month=month)
        return
    log.request(month=month, person=turn.person.id, lang=turn.lang,
                at=turn.services.clock.now())
    turn.reply("monthly.requested", month=month)

"""Use cases of `safetyloop import`: checked rows into the database, in one transaction.

Each adds what is new to the unit of work, counts what was there before, and rejects rows
only the database can judge (a code in use, a period overlapping a stored one); `finish`
then commits, with ONE audit entry for the file, unless a rejection or a dry run says not.
Nothing here records a domain event: history sends no notification and awards no points.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from core.imports import Outcome, problem
from core.plant import Plant
from core.ports import ImportUnitOfWork
from core.ticket_rows import LedgerTicket, as_ticket
from core.tickets import ticket_code
from core.usage_rows import MonthHours, RunPeriod

Tick = Callable[[], None]  # one row done (the progress bar)
IMPORTED = "FileImported"  # the audit entry's action


def _nothing() -> None:
    return None


def import_tickets(entries: Sequence[LedgerTicket], outcome: Outcome, *, uow: ImportUnitOfWork,
                   plant: Plant, now: datetime, tick: Tick = _nothing) -> None:
    """Tickets for the rows not imported before. Rows with one of our codes go first and
    keep it; the others are numbered on their report day after what the day holds."""
    known = uow.imports.known({entry.key for entry in entries})
    first_row: dict[str, int] = {}
    fresh: list[LedgerTicket] = []
    for entry in entries:
        if entry.key in first_row:
            outcome.reject(entry.row, problem("import.reason.same_as_row",
                                              row=first_row[entry.key]))
            tick()
            continue
        first_row[entry.key] = entry.row
        if entry.key in known:
            outcome.already += 1
            tick()
        else:
            fresh.append(entry)
    zone = ZoneInfo(plant.timezone)
    unknown: Counter[str] = Counter()
    # A day's next number is asked once, then counted here: the transaction holds the day
    # (SQLite's write lock, PostgreSQL's advisory lock per day) until it commits.
    numbers: dict[str, int] = {}
    for entry in sorted(fresh, key=lambda e: e.own_code is None):
        code = entry.own_code
        if code is not None and uow.tickets.get(code) is not None:
            outcome.reject(entry.row, problem("import.reason.code_taken", code=code))
            tick()
            continue
        if code is None:
            day = entry.reported_at.astimezone(zone).strftime("%y%m%d")
            numbers[day] = numbers.get(day) or uow.tickets.next_number(day)
            code = ticket_code(day, numbers[day])
            numbers[day] += 1
        uow.tickets.add(as_ticket(entry, code, plant, now))
        uow.imports.note(entry.key, ticket=code, source_code=entry.source_code, at=now)
        outcome.imported += 1
        if not entry.reporter_known:
            unknown[entry.reporter] += 1
        tick()
    outcome.unknown_reporters = dict(sorted(unknown.items()))


def import_runlog(entries: Sequence[tuple[int, RunPeriod]], outcome: Outcome, *,
                  uow: ImportUnitOfWork, zone: tzinfo, tick: Tick = _nothing) -> None:
    """Periods not stored yet; one the same as a stored period is already there, one that
    overlaps a stored period or an earlier row is rejected."""
    rows: dict[RunPeriod, int] = {}  # the periods this file added, by row
    for row, period in entries:
        stored = uow.run_log.overlapping(period)
        mine = next((s for s in stored if s in rows), None)
        if mine is not None:
            key = "import.reason.same_as_row" if mine == period else "import.reason.overlaps_row"
            outcome.reject(row, problem(key, row=rows[mine]))
        elif period in stored:
            outcome.already += 1
        elif stored:
            outcome.reject(row, problem("import.reason.overlaps_stored",
                                        start=_local(stored[0].start, zone),
                                        end=_local(stored[0].end, zone)))
        else:
            uow.run_log.add(period)
            rows[period] = row
            outcome.imported += 1
        tick()


def import_hours(entries: Sequence[tuple[int, MonthHours]], outcome: Outcome, *,
                 uow: ImportUnitOfWork, now: datetime, tick: Tick = _nothing) -> None:
    """A month's hours for a department, replacing what was kept for that month."""
    first_row: dict[tuple[str, object], int] = {}
    for row, entry in entries:
        key = (entry.department, entry.month)
        if key in first_row:
            outcome.reject(row, problem("import.reason.same_as_row", row=first_row[key]))
            tick()
            continue
        first_row[key] = row
        kept = uow.hours_worked.get(entry.department, entry.month)
        if kept == entry.hours:
            outcome.already += 1
        else:
            uow.hours_worked.put(entry, now)
            if kept is None:
                outcome.imported += 1
            else:
                outcome.replaced += 1
        tick()


def finish(outcome: Outcome, *, uow: ImportUnitOfWork, kind: str, source: str, sha256: str,
           now: datetime, dry_run: bool, skip_invalid: bool) -> None:
    """Commit, unless this is a dry run or a row was rejected without `--skip-invalid`: one
    import entry in the audit log for the file when it changed anything."""
    if dry_run or (outcome.rejected and not skip_invalid):
        uow.rollback()
        return
    if outcome.imported or outcome.replaced:
        uow.audit.append(at=now, actor="system", action=IMPORTED, subject=f"import:{kind}",
                         data={"kind": kind, "file": source, "sha256": sha256,
                               **outcome.counts(),
                               "unknown_reporters": len(outcome.unknown_reporters)})
    uow.commit()
    outcome.written = True


def _local(instant: datetime, zone: tzinfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")

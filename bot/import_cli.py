"""`safetyloop import tickets|runlog|hours FILE`: a plant's history from office files.

Reads the file (storage/spreadsheet.py), checks every row (core/ticket_rows.py,
core/usage_rows.py), writes in one transaction (core/import_services.py) and says what
happened in the plant's language: rejected rows with their reasons, reporters no longer on
the roster, one summary line.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot.plantfile import read_plant
from bot.settings import Settings
from core import import_services
from core.imports import Column, FileRejected, Outcome, Problem, Record, records
from core.plant import Plant
from core.ports import ImportUnitOfWork
from core.ticket_rows import TICKET_COLUMNS, check_ticket
from core.usage_rows import HOURS_COLUMNS, RUNLOG_COLUMNS, check_month_hours, check_run_period
from handlers.i18n import t
from storage.database import make_engine, upgrade
from storage.plantfile import PlantFileError
from storage.spreadsheet import SpreadsheetError, read_rows
from storage.uow import SqlUnitOfWork

Say = Callable[..., str]
# Checks a row: (its number, its cells, the plant, the present) -> a record or its problems.
Check = Callable[[int, dict[str, str], Plant, datetime], Any]
# Writes the checked records: (records, outcome, unit of work, plant, now, tick).
Write = Callable[[list[Any], Outcome, ImportUnitOfWork, Plant, datetime, Callable[[], None]],
                 None]


@dataclass(frozen=True)
class Kind:
    """One kind of import file: its columns, its row check, its writer, its summary line."""

    columns: Sequence[Column]
    check: Check
    write: Write
    summary: str


def _zone(plant: Plant) -> ZoneInfo:
    return ZoneInfo(plant.timezone)


KINDS = {
    "tickets": Kind(
        TICKET_COLUMNS,
        lambda n, cells, plant, now: check_ticket(n, cells, plant, _zone(plant), now),
        lambda rows, out, uow, plant, now, tick: import_services.import_tickets(
            rows, out, uow=uow, plant=plant, now=now, tick=tick),
        "import.summary.tickets"),
    "runlog": Kind(
        RUNLOG_COLUMNS,
        lambda n, cells, plant, now: _numbered(n, check_run_period(cells, plant, _zone(plant),
                                                                   now)),
        lambda rows, out, uow, plant, now, tick: import_services.import_runlog(
            rows, out, uow=uow, zone=_zone(plant), tick=tick),
        "import.summary.runlog"),
    "hours": Kind(
        HOURS_COLUMNS,
        lambda n, cells, plant, now: _numbered(n, check_month_hours(cells, plant)),
        lambda rows, out, uow, plant, now, tick: import_services.import_hours(
            rows, out, uow=uow, now=now, tick=tick),
        "import.summary.hours"),
}


def _numbered(number: int, checked: object) -> object:
    """A usage record travels with its row number (a ticket carries its own)."""
    return checked if isinstance(checked, list) else (number, checked)


def run_import(args: argparse.Namespace, settings: Settings, *, now: datetime | None = None,
               out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Import `args.file` as `args.kind`; `now` is the import's instant (a simulated clock's
    in tests), when open tickets start their clocks. 0 when written (or a clean dry run)."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        plant = read_plant(settings.plant_file)
    except PlantFileError as exc:
        print("\n".join(exc.messages()), file=err)
        return 1
    say: Say = partial(t, args.lang or plant.language)
    kind, path = KINDS[args.kind], Path(args.file)
    try:
        rows = read_rows(path)
        table = records(rows, kind.columns)
    except SpreadsheetError as exc:
        print(say("import.file.unreadable", error=str(exc)), file=err)
        return 1
    except FileRejected as exc:
        print(f"{path.name}: {_reason(say, exc.reason)}", file=err)
        return 1
    if table.ignored_columns:
        print(say("import.ignored_columns", columns=", ".join(table.ignored_columns)), file=out)
    now, outcome = now or datetime.now(UTC), Outcome()
    checked = _checked(kind, table.records, plant, now, outcome)
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with SqlUnitOfWork(engine) as uow, Progress(len(checked), err) as bar:
            kind.write(checked, outcome, uow, plant, now, bar.tick)
            import_services.finish(
                outcome, uow=uow, kind=args.kind, source=path.name,
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(), now=now,
                dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    except IntegrityError:  # another import committed the same keys first: nothing written
        print(say("import.busy"), file=err)
        return 1
    finally:
        engine.dispose()
    return _report(say, kind, path, outcome, args, out, err)


def _checked(kind: Kind, rows: list[Record], plant: Plant, now: datetime,
             outcome: Outcome) -> list[Any]:
    checked = []
    for number, cells in rows:
        result = kind.check(number, cells, plant, now)
        if isinstance(result, list):
            outcome.reject(number, *result)
        else:
            checked.append(result)
    return checked


def _report(say: Say, kind: Kind, path: Path, outcome: Outcome, args: argparse.Namespace,
            out: TextIO, err: TextIO) -> int:
    """Rejected rows, unknown reporters, the summary; 0 when the import (or the one a dry
    run stands for) writes."""
    dry_run = args.dry_run
    if outcome.rejected:
        print(say("import.rejected", file=path.name, count=len(outcome.rejected)), file=err)
        separator = say("import.separator")
        for rejected in sorted(outcome.rejected, key=lambda r: r.row):
            reasons = separator.join(_reason(say, p) for p in rejected.problems)
            print("  " + say("import.row", row=rejected.row, reasons=reasons), file=err)
    if outcome.unknown_reporters:
        print(say("import.unknown_reporters"), file=out)
        for name, count in outcome.unknown_reporters.items():
            print("  " + say("import.unknown_reporter", name=name, count=count), file=out)
    counted = outcome.written or dry_run  # rows a rolled-back import did not keep are not
    print(say(kind.summary, imported=outcome.imported if counted else 0,
              replaced=outcome.replaced if counted else 0, already=outcome.already,
              rejected=len(outcome.rejected), unknown=len(outcome.unknown_reporters)),
          file=out)
    if dry_run:
        print(say("import.dry_run"), file=out)
    elif not outcome.written:
        print(say("import.nothing_written"), file=err)
    return 0 if outcome.written or (
        dry_run and (args.skip_invalid or not outcome.rejected)) else 1


def _reason(say: Say, found: Problem) -> str:
    return say(found.key, **found.values)


class Progress:
    """A bar on stderr while rows are written, when stderr is a terminal; nothing otherwise
    (a log file or a pipe gets only the summary). Twenty lines, so no tqdm."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.shown = self.total > 0 and stream.isatty()
        self._drawn_at = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.shown:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def tick(self) -> None:
        self.done += 1
        if self.shown and time.monotonic() - self._drawn_at >= 0.1:
            self._draw()

    def _draw(self) -> None:
        filled = self.WIDTH * self.done // self.total
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                          f"{self.done}/{self.total}")
        self.stream.flush()
        self._drawn_at = time.monotonic()

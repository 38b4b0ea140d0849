"""The monthly report and the month's ledger as files: `safetyloop report monthly YYYY-MM
--out DIR [--lang en]` writes them to a folder; `BlobMonthlyFiles` (the `MonthlyFiles` port
the scheduler and `/report YYYY-MM` use) keeps them in the blob store to send.

Reading is one short read-only transaction (core/monthly.py's adapters and the month's
tickets and trail); drawing happens after it has ended, so a report taking seconds to draw
holds no lock."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sqlalchemy import Engine

from bot.plantfile import read_plant
from bot.settings import Settings
from core.audit import AuditEntry
from core.blobs import StoredFile
from core.figures import month_of
from core.monthly import MonthlyData, gather_month, label, month_argument
from core.plant import Plant
from core.ports import TicketFilter
from core.tickets import Ticket
from handlers.context import Services
from handlers.i18n import CATALOGS, t
from handlers.warnings import message
from storage.database import make_engine, upgrade
from storage.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from reports.monthly_pdf import Wording

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = 10_000_000  # every ticket of a month: the ledger lists them all


@dataclass(frozen=True)
class MonthFiles:
    pdf: bytes
    pdf_name: str
    xlsx: bytes
    xlsx_name: str
    tickets: int


def wording(plant: Plant, data: MonthlyData, lang: str) -> Wording:
    """Names in the reader's language and each trend warning as the bot says it."""
    from reports.monthly_pdf import Wording

    names = {item.id: item.label(lang)
             for item in (*plant.areas, *plant.categories, *plant.departments)}
    return Wording(say=partial(t, lang), plant=plant.name, timezone=plant.timezone,
                   names=names, warnings=[message(plant, w, lang) for w in data.warnings])


def read_month(engine: Engine, plant: Plant, year: int, month: int, *,
               as_of: datetime) -> tuple[MonthlyData, list[Ticket], list[AuditEntry]]:
    """The report's figures, the month's tickets (in the order reported) and their trail."""
    span = month_of(plant, year, month)
    with SqlUnitOfWork(engine) as uow:
        data = gather_month(uow, plant, year, month, as_of=as_of)
        tickets = sorted(uow.tickets.find(TicketFilter(created_from=span.start,
                                                       created_before=span.end), limit=ALL),
                         key=lambda ticket: (ticket.created_at, ticket.id or 0))
        codes = {ticket.code for ticket in tickets}
        # A ticket's trail starts when it was reported: nothing before the month is needed.
        trail = [entry for entry in uow.audit.find(since=span.start) if entry.subject in codes]
    return data, tickets, trail


def render_month(engine: Engine, plant: Plant, year: int, month: int, lang: str, *,
                 as_of: datetime) -> MonthFiles:
    """Both files' bytes; raises NoChineseFont when no font draws Chinese."""
    # fpdf2 and openpyxl take ~0.5 s to import: only a process that draws a report pays.
    from reports.ledger_xlsx import ledger_workbook
    from reports.monthly_pdf import monthly_pdf

    data, tickets, trail = read_month(engine, plant, year, month, as_of=as_of)
    with SqlUnitOfWork(engine) as uow:
        joined_by = uow.duplicates.followers_by_ticket()
    say = partial(t, lang)
    pdf = monthly_pdf(data, wording(plant, data, lang))
    book = BytesIO()
    ledger_workbook(plant, tickets, trail, exported_at=as_of, say=say,
                    joined_by=joined_by).save(book)
    month_label = label(year, month)
    return MonthFiles(pdf, say("monthly.file", month=month_label), book.getvalue(),
                      f"ledger-{month_label}.xlsx", len(tickets))


class BlobMonthlyFiles:
    """The `MonthlyFiles` port: renders into the blob store (same bytes, one stored file)."""

    def __init__(self, engine: Engine, services: Services) -> None:
        self.engine, self.services = engine, services

    def render(self, year: int, month: int, lang: str) -> tuple[StoredFile, StoredFile]:
        services = self.services
        files = render_month(self.engine, services.plant, year, month, lang,
                             as_of=services.clock.now())
        return (services.blobs.put(files.pdf, name=files.pdf_name, mime="application/pdf"),
                services.blobs.put(files.xlsx, name=files.xlsx_name, mime=XLSX))


def monthly_report(settings: Settings, *, month: str, out_dir: Path, lang: str | None,
                   out: TextIO, err: TextIO, now: datetime | None = None) -> int:
    """`safetyloop report monthly`: 0 when both files are written."""
    plant = read_plant(settings.plant_file)
    wanted = month_argument(month)
    if wanted is None:
        err.write(f"{month!r}: give the month as YYYY-MM, e.g. 2026-11\n")
        return 2
    language = lang or plant.language
    if language not in CATALOGS:
        err.write(f"--lang {language!r}: one of {', '.join(sorted(CATALOGS))}\n")
        return 2
    from reports.monthly_pdf import NoChineseFont

    engine = make_engine(settings.database_url)
    started = time.perf_counter()
    try:
        upgrade(engine)
        files = render_month(engine, plant, *wanted, language, as_of=now or datetime.now(UTC))
    except NoChineseFont as missing:
        err.write(f"{missing}\n")
        return 1
    finally:
        engine.dispose()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / files.pdf_name).write_bytes(files.pdf)
    (out_dir / files.xlsx_name).write_bytes(files.xlsx)
    out.write(f"wrote {out_dir / files.pdf_name} and {out_dir / files.xlsx_name}: "
              f"{files.tickets} tickets, {time.perf_counter() - started:.1f} s\n")
    return 0

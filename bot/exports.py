"""What every `… export` command does around its report: one read-only transaction, then the
file written where asked (or to stdout) and a line saying what was written."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from bot.settings import Settings
from core.plant import Plant
from storage.database import make_engine
from storage.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from openpyxl import Workbook

T = TypeVar("T")


def read(settings: Settings, what: Callable[[SqlUnitOfWork], T]) -> T:
    """`what` read in one transaction of the configured database, which is let go after."""
    engine = make_engine(settings.database_url)
    try:
        with SqlUnitOfWork(engine) as uow:
            return what(uow)
    finally:
        engine.dispose()


def save_workbook(book: Workbook, output: str | None, *, plant: Plant, stem: str,
                  now: datetime, summary: str) -> None:
    """Save to `output`, or to `STEM-YYYYMMDD.xlsx` by the plant's calendar."""
    out = Path(output or f"{stem}-{now.astimezone(ZoneInfo(plant.timezone)):%Y%m%d}.xlsx")
    book.save(out)
    print(f"wrote {out}: {summary}")


def deliver(data: str | bytes, output: str | None, *, summary: str) -> None:
    """Write to `output` (text as UTF-8), or to stdout: bytes as they are, so a CSV's BOM
    survives any locale."""
    if output:
        Path(output).write_bytes(data if isinstance(data, bytes) else data.encode())
        print(f"wrote {output}: {summary}")
    elif isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)

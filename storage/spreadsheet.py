"""Reads the first sheet of an XLSX workbook, or a CSV file, as rows of cell texts.

Shared by every import of an office file (rosters, hazard ledgers, run logs, hours):
the checks of each kind of file work on these texts, never on the file.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from core.imports import HEADER_SEARCH_ROWS

# (spreadsheet row number, the texts of its cells)
Row = tuple[int, list[str]]


class SpreadsheetError(Exception):
    """The file cannot be read as a table at all (wrong type, encoding, no header)."""


def read_rows(path: Path) -> list[Row]:
    """(spreadsheet row number, cell texts) for every row of the first sheet or the CSV."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpreadsheetError(f"cannot read {path}: {exc.strerror}") from None
    if data.startswith(b"PK"):
        return _xlsx_rows(data)
    if path.suffix.lower() in (".xls", ".et") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(f"{path.name}: old Excel format; save it as .xlsx or CSV")
    return _csv_rows(_decode(data, path.name))


def cell_text(cell: object) -> str:
    """A cell as text: whole floats without ".0", dates and times in ISO 8601 (Excel keeps no
    zone, so a time cell comes out naive: the reader takes it as the plant's wall time)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # Excel keeps 工号 1001 and phone numbers as floats
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell).strip()


def _xlsx_rows(data: bytes) -> list[Row]:
    try:
        with warnings.catch_warnings():  # real exports warn about styles we do not read
            warnings.simplefilter("ignore")
            sheet = load_workbook(io.BytesIO(data), data_only=True).worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(f"not a readable XLSX workbook: {exc}") from None
    return [
        (number, [cell_text(cell) for cell in cells])
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # Excel on a Chinese Windows saves "CSV" in GBK, which GB18030 contains
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SpreadsheetError(f"{name}: neither UTF-8 nor GB18030 text") from None


def _csv_rows(text: str) -> list[Row]:
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])
    delimiter = max(",\t;", key=sample.count)  # Excel writes ";" or tabs in some locales
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(n, [c.strip() for c in row]) for n, row in enumerate(reader, start=1)]

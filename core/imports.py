"""Importing a plant's records from office files: what every kind of file shares.

A file arrives as rows of cell texts (storage/spreadsheet.py reads XLSX and CSV). Its header
row says which column is which, in English or Chinese; each row below is checked on its own
and either becomes a record or is rejected with every reason found, as catalog keys with
their values, so the command line says them in the plant's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from core.plant import Named

# Rows above the header an export may carry (a title, a date line).
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Problem:
    """What is wrong, as a catalog key (`import.reason.…`, `import.file.…`) and its values."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


def problem(key: str, **values: object) -> Problem:
    return Problem(key, values)


@dataclass(frozen=True)
class Rejected:
    """A row of the file (numbered as the spreadsheet shows it) and every reason it failed."""

    row: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Column:
    """A column of an import file: its name, the headers that mean it, whether it must be."""

    name: str
    aliases: tuple[str, ...]
    required: bool = True

    @property
    def shown(self) -> str:
        """How messages name it: every way a header may write it, e.g. `area/区域`."""
        return "/".join(dict.fromkeys((self.name, *self.aliases)))


class FileRejected(Exception):
    """The file as a whole cannot be imported (no header, a required column missing)."""

    def __init__(self, reason: Problem) -> None:
        super().__init__(reason.key)
        self.reason = reason


# (spreadsheet row number, column name -> the cell's text)
Record = tuple[int, dict[str, str]]


@dataclass(frozen=True)
class Table:
    records: list[Record]
    ignored_columns: list[str]


def _normal(header: str) -> str:
    return re.sub(r"[\s_\-]", "", header).casefold()


def records(rows: Sequence[tuple[int, list[str]]], columns: Sequence[Column]) -> Table:
    """The rows under the header as records by column name; raises `FileRejected`.

    The header is the first of the top rows naming two known columns (a title row above it
    names none); blank rows are left out.
    """
    by_header = {_normal(alias): c.name for c in columns for alias in (c.name, *c.aliases)}
    at, names = _header(rows, by_header, columns)
    found = [n for n in names if n]
    if twice := sorted({n for n in found if found.count(n) > 1}):
        raise FileRejected(problem("import.file.duplicate_column", column=", ".join(twice)))
    if missing := [c.shown for c in columns if c.required and c.name not in found]:
        raise FileRejected(problem("import.file.missing_columns", columns=", ".join(missing)))
    index = {name: i for i, name in enumerate(names) if name}
    body = [
        (number, {name: cells[i].strip() if i < len(cells) else "" for name, i in index.items()})
        for number, cells in rows[at + 1:] if any(c.strip() for c in cells)
    ]
    if not body:
        raise FileRejected(problem("import.file.no_rows"))
    ignored = [cell for cell, name in zip(rows[at][1], names, strict=True) if cell and not name]
    return Table(body, ignored)


def _header(rows: Sequence[tuple[int, list[str]]], by_header: Mapping[str, str],
            columns: Sequence[Column]) -> tuple[int, list[str | None]]:
    """Where the header row is, and the column each of its cells names (None: unknown)."""
    for at, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [by_header.get(_normal(cell)) for cell in cells]
        if len([n for n in names if n]) >= 2:
            return at, names
    raise FileRejected(problem("import.file.no_header",
                               columns=", ".join(c.shown for c in columns)))


# Written by hand or by spreadsheets set to Chinese conventions; ISO 8601 is tried first.
_TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
                 "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


def parse_time(text: str, zone: tzinfo) -> datetime:
    """ISO 8601 or `YYYY-MM-DD HH:MM`; without an offset it is the plant's wall time (an
    Excel time cell never has one). Raises ValueError."""
    text = text.strip()
    try:
        instant = datetime.fromisoformat(text)
        return instant if instant.tzinfo else instant.replace(tzinfo=zone)
    except ValueError:
        pass
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ValueError(text)


_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")


def parse_month(text: str) -> date:
    """`2026-03`, `2026/3`, `2026年3月`, or a date cell on the first of the month (Excel
    turns a typed month into one). The month's first day; raises ValueError."""
    text = text.strip()
    if match := _MONTH.fullmatch(text):
        return date(int(match[1]), int(match[2]), 1)
    day = datetime.fromisoformat(text)
    if day.day != 1 or day.time() != datetime.min.time():
        raise ValueError(text)
    return day.date()


def named_id(items: Iterable[Named], text: str) -> str | None:
    """The id of the item whose id, name or English name is `text` (case ignored)."""
    wanted = text.strip().casefold()
    for item in items:
        if wanted in (item.id.casefold(), item.name.casefold(), item.name_en.casefold()):
            return item.id
    return None


def lookup(choices: Mapping[str, str], text: str) -> str | None:
    """The value a word stands for, the word compared without case, spaces or `_`."""
    return choices.get(_normal(text))


def words(mapping: Mapping[str, str]) -> dict[str, str]:
    """A table of words to values, keyed as `lookup` compares them."""
    return {_normal(word): value for word, value in mapping.items()}


@dataclass
class Outcome:
    """What an import did or would do. `already`: rows found stored before (re-importing
    adds nothing); `replaced`: stored values the file changed (hours of a month)."""

    imported: int = 0
    already: int = 0
    replaced: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    # Reporters not on the roster, kept by name: name -> how many tickets.
    unknown_reporters: dict[str, int] = field(default_factory=dict)
    written: bool = False

    def reject(self, row: int, *problems: Problem) -> None:
        self.rejected.append(Rejected(row, problems))

    def counts(self) -> dict[str, int]:
        """The counts the audit entry keeps."""
        return {"imported": self.imported, "already": self.already, "replaced": self.replaced,
                "rejected": len(self.rejected)}

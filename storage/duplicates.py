"""Photos of tickets by print, and who follows a ticket they joined (core/duplicates.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, case, literal, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from core.photo_prints import BANDS, BITS, SHARED_BANDS, PhotoPrint
from core.ports import PhotoSeen
from storage.ledger import insert_once
from storage.tables import PhotoPrintRow, TicketFollowerRow, TicketRow
from storage.tickets import to_ticket

_BAND_COLUMNS = tuple(f"b{i}" for i in range(BANDS))


def to_signed(value: int) -> int:
    """A 64-bit hash as the signed BIGINT both databases keep."""
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def to_unsigned(value: int) -> int:
    return value + (1 << BITS) if value < 0 else value


class SqlDuplicateIndex:
    def __init__(self, session: Session) -> None:
        self.session = session

    def index(self, code: str, prints: Sequence[PhotoPrint], at: datetime) -> None:
        for photo in prints:
            bands = photo.bands() or (None,) * BANDS
            insert_once(self.session, PhotoPrintRow, {
                "ticket": code, "sha256": photo.sha256, "created_at": at,
                "dhash": None if photo.dhash is None else to_signed(photo.dhash),
                **dict(zip(_BAND_COLUMNS, bands, strict=True)),
            })

    def seen(self, prints: Sequence[PhotoPrint], since: datetime,
             limit: int = 200) -> list[PhotoSeen]:
        if not prints:
            return []
        return [
            PhotoSeen(to_ticket(ticket), PhotoPrint(
                row.sha256, None if row.dhash is None else to_unsigned(row.dhash)))
            for row, ticket in self.session.exec(self.seen_statement(prints, since, limit))
        ]

    def seen_statement(self, prints: Sequence[PhotoPrint], since: datetime,
                       limit: int = 200) -> Select[PhotoPrintRow, TicketRow]:
        """The lookup, through the SHA-256 index and each band's: never a scan of every
        photo (tests/integration/test_duplicate_storage.py reads SQLite's plan)."""
        return (
            select(PhotoPrintRow, TicketRow)
            .join(TicketRow, col(TicketRow.code) == col(PhotoPrintRow.ticket))
            .where(*self._alike(prints), col(PhotoPrintRow.created_at) >= since)
            .order_by(col(PhotoPrintRow.created_at).desc())
            .limit(limit)
        )

    @staticmethod
    def _alike(prints: Sequence[PhotoPrint]) -> list[ColumnElement[bool]]:
        """Same bytes, or at least `SHARED_BANDS` bands equal to those of one of the prints.

        Two conditions: a plain OR of one term per index (the SHA-256 and each band), which
        both databases answer by reading each index and merging what they found; then, on
        those few rows, the count that keeps only the photos with enough equal bands.
        """
        same_bytes = col(PhotoPrintRow.sha256).in_([p.sha256 for p in prints])
        banded = [bands for p in prints if (bands := p.bands()) is not None]
        if not banded:
            return [same_bytes]
        equal = [col(getattr(PhotoPrintRow, name)).in_(sorted({bands[i] for bands in banded}))
                 for i, name in enumerate(_BAND_COLUMNS)]
        shared = sum((case((one, 1), else_=0) for one in equal), start=literal(0))
        return [or_(same_bytes, *equal), or_(same_bytes, shared >= SHARED_BANDS)]

    def follow(self, code: str, person: str, at: datetime) -> bool:
        return insert_once(self.session, TicketFollowerRow,
                           {"ticket": code, "person": person, "joined_at": at})

    def followers(self, code: str) -> list[str]:
        query = (
            select(TicketFollowerRow.person).where(TicketFollowerRow.ticket == code)
            .order_by(col(TicketFollowerRow.joined_at), col(TicketFollowerRow.person))
        )
        return list(self.session.exec(query).all())

    def followers_by_ticket(self) -> dict[str, list[str]]:
        query = select(TicketFollowerRow.ticket, TicketFollowerRow.person).order_by(
            col(TicketFollowerRow.joined_at), col(TicketFollowerRow.person))
        found: dict[str, list[str]] = {}
        for code, person in self.session.exec(query):
            found.setdefault(code, []).append(person)
        return found

"""Photos as the domain sees them: what a stored photo tells, and why one can be refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.geo import GeoPoint


class PhotoProblem(StrEnum):
    TOO_LARGE = "too_large"
    NOT_AN_IMAGE = "not_an_image"
    TOO_MANY_PIXELS = "too_many_pixels"
    BROKEN = "broken"
    UNSUPPORTED = "unsupported"


class PhotoRejected(Exception):
    """A photo the store refuses to keep; nothing was written."""

    def __init__(self, reason: PhotoProblem) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class StoredPhoto:
    """A kept photo, named by the SHA-256 of its bytes, with what its metadata says."""

    sha256: str
    width: int
    height: int
    format: str
    gps: GeoPoint | None
    taken_at: datetime | None

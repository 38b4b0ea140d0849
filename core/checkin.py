"""Whether a location proves presence at a checkpoint (巡检打卡): the sender's own, sent just
now, precise enough and within the checkpoint's radius. Pure rules; the conversation that
asks for the location is handlers/checkin.py.

A location whose accuracy the platform does not give (WeCom's location messages, a pin
dropped by hand on Telegram) cannot be held to the accuracy limit and passes that check; the
radius still applies. A photo's EXIF position and time are recorded beside a check-in as
supporting evidence, never as the check-in itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from core.geo import GeoPoint, distance_m
from core.plant import Checkpoint
from core.round_settings import InspectionSettings

DEFAULT_ACCURACY_M = 50.0
DEFAULT_FRESH_WITHIN = timedelta(minutes=2)


class Refusal(StrEnum):
    """Why a location does not check anyone in; the catalog says each as `checkin.<reason>`."""

    INVALID = "invalid"  # not a place on the earth
    FORWARDED = "forwarded"  # someone else's location, or one's own from before
    STALE = "stale"  # sent longer ago than the plant allows
    INACCURATE = "inaccurate"  # the phone itself says it may be further off than allowed
    TOO_FAR = "too_far"  # outside the radius of every checkpoint still to do


@dataclass(frozen=True)
class Rules:
    """plant.yaml's `inspections.accuracy_m` and `inspections.fresh_within`."""

    accuracy_m: float = DEFAULT_ACCURACY_M
    fresh_within: timedelta = DEFAULT_FRESH_WITHIN


@dataclass(frozen=True)
class Fix:
    """A location as it arrived: where (WGS-84, with its accuracy), whose and when."""

    point: GeoPoint
    sent_at: datetime | None = None  # None: the channel did not say, so as it arrived
    forwarded: bool = False
    live: bool = False  # a live location is being sent now, whenever it started


@dataclass(frozen=True)
class Verdict:
    """The nearest candidate checkpoint and how far off it is; `refusal` None means accepted.
    `age` is how long ago the location was sent, when it is refused as stale."""

    checkpoint: Checkpoint | None
    distance_m: float
    refusal: Refusal | None = None
    age: timedelta | None = None

    @property
    def accepted(self) -> bool:
        return self.refusal is None and self.checkpoint is not None


def nearest(point: GeoPoint, checkpoints: Iterable[Checkpoint]) -> tuple[Checkpoint, float] | None:
    """The checkpoint closest to the point (great-circle), and its distance in metres."""
    found = [(c, distance_m(point, GeoPoint(c.lat, c.lon))) for c in checkpoints]
    return min(found, key=lambda pair: pair[1], default=None)


def judge(fix: Fix, checkpoints: Iterable[Checkpoint], rules: Rules, now: datetime) -> Verdict:
    """Whether the fix checks in at the nearest of `checkpoints` (those still to do).

    Checked in this order, so the refusal names the first thing to put right: a place on
    the earth, the sender's own location, sent just now, precise enough, near enough. A
    point exactly on the radius is inside.
    """
    point = fix.point
    if not point.is_valid():
        return Verdict(None, 0.0, Refusal.INVALID)
    found = nearest(point, checkpoints)
    if found is None:
        return Verdict(None, 0.0, Refusal.TOO_FAR)
    checkpoint, away = found
    if fix.forwarded:
        return Verdict(checkpoint, away, Refusal.FORWARDED)
    age = now - fix.sent_at if fix.sent_at is not None else timedelta()
    if not fix.live and age > rules.fresh_within:
        return Verdict(checkpoint, away, Refusal.STALE, age=age)
    if point.accuracy_m is not None and point.accuracy_m > rules.accuracy_m:
        return Verdict(checkpoint, away, Refusal.INACCURATE)
    if away > checkpoint.radius_m:
        return Verdict(checkpoint, away, Refusal.TOO_FAR)
    return Verdict(checkpoint, away)


@dataclass(frozen=True)
class PhotoEvidence:
    """A photo sent with a check-in: its hash, and the position and time its EXIF gives."""

    photo: str
    gps: GeoPoint | None = None
    taken_at: datetime | None = None

    def note(self, checkpoint: Checkpoint) -> str:
        """What the check-in records: JSON with the photo's hash, its EXIF position and how far
        that is from the checkpoint, and when it was taken (what EXIF lacks is left out)."""
        data: dict[str, object] = {"photo": self.photo}
        if self.gps is not None and self.gps.is_valid():
            data["exif_gps"] = [self.gps.lat, self.gps.lon]
            place = GeoPoint(checkpoint.lat, checkpoint.lon)
            data["exif_distance_m"] = round(distance_m(self.gps, place), 1)
        if self.taken_at is not None:
            data["taken_at"] = self.taken_at.astimezone(UTC).isoformat()  # stored in UTC
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def rules_of(settings: InspectionSettings | None) -> Rules:
    """The check-in rules a plant's `inspections` section sets (the defaults without one)."""
    if settings is None:
        return Rules()
    return Rules(accuracy_m=settings.accuracy_m, fresh_within=settings.fresh)


def checkin_problems(settings: InspectionSettings, section: str) -> Iterator[tuple[str, str]]:
    """What is wrong with the section's check-in keys, by YAML path."""
    if not (math.isfinite(settings.accuracy_m) and settings.accuracy_m > 0):
        yield (f"{section}.accuracy_m",
               f"must be a number of metres above zero, got {settings.accuracy_m!r}")
    try:
        fresh = settings.fresh
    except ValueError as exc:
        yield f"{section}.fresh_within", str(exc)
        return
    if fresh <= timedelta(0):
        yield f"{section}.fresh_within", f"must be longer than zero, got {settings.fresh_within!r}"

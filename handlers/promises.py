"""A promised time as people type it: in 3h, in 90m, or at 16:00 (today, else tomorrow)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.durations import parse_duration

# Further than this is no promise a chain can wait on.
LONGEST = timedelta(days=30)
_CLOCK = re.compile(r"([01]?\d|2[0-3])\s*[:：]\s*([0-5]\d)")


def promised_at(text: str, now: datetime, timezone: str) -> datetime | None:
    """The instant meant by `text`, after `now` and within LONGEST; None if it is not one."""
    typed = text.strip().lower()
    at = _clock_time(typed, now, ZoneInfo(timezone))
    if at is None:
        try:
            at = now + parse_duration(typed)
        except ValueError:
            return None
    return at if now < at <= now + LONGEST else None


def _clock_time(typed: str, now: datetime, zone: ZoneInfo) -> datetime | None:
    """`16:00` in the plant's zone: today if still ahead, else tomorrow."""
    match = _CLOCK.fullmatch(typed)
    if match is None:
        return None
    local = now.astimezone(zone)
    at = local.replace(hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0)
    if at <= local:
        at = (local + timedelta(days=1)).replace(hour=at.hour, minute=at.minute)
    return at.astimezone(now.tzinfo)

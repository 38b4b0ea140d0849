"""plant.yaml's `reminders`: where in a window the holder is reminded, how often the top rung
hears again, the plant's quiet hours and the time of the daily digest.

The share and the repeat time a ticket, so each ticket copies them into its policy when it
opens (core.escalation); quiet hours and the digest time are plant-wide and read live.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time, timedelta

from core.durations import parse_duration

_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
# 22:00-07:00; an en dash or a tilde, as people type them, works too.
_SPAN = re.compile(r"(\S+?)\s*[-–~]\s*(\S+)")
_DAY_MINUTES = 24 * 60
# How long a report draft is kept untouched (handlers/report.py's timeout): its nudge,
# `draft`, must come before it is gone.
DRAFT_KEPT = timedelta(hours=24)
DRAFT_KEPT_TEXT = "24h"


@dataclass(frozen=True)
class QuietHours:
    """A span of the plant's day, which may run over midnight (22:00-07:00)."""

    start: time
    end: time

    def covers(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@dataclass(frozen=True)
class ReminderSettings:
    """As written in plant.yaml; the properties read it (valid once `problems` is empty).

    Numbers are accepted on load so that `problems` can say what to write instead: YAML
    reads an unquoted 18:30 as the number 1110.
    """

    at: str | float = "75%"
    repeat: str = "24h"
    quiet_hours: str | int | None = None
    digest_at: str | int = "08:00"
    # A report draft left this long: its reporter is told it is kept (handlers/draft_nudges).
    draft: str = "30m"

    @property
    def share(self) -> float:
        """How far into a window the reminder falls, as a fraction (0.75)."""
        return parse_share(self.at)

    @property
    def repeat_every(self) -> timedelta:
        return parse_duration(self.repeat)

    @property
    def quiet(self) -> QuietHours | None:
        return None if self.quiet_hours is None else parse_quiet_hours(self.quiet_hours)

    @property
    def digest_time(self) -> time:
        return parse_time(self.digest_at)

    @property
    def draft_after(self) -> timedelta:
        return parse_duration(self.draft)


def parse_share(value: str | float) -> float:
    found = _SHARE.fullmatch(value.strip()) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"not a share of the window: {value!r} (write e.g. 75%)")
    share = float(found.group(1)) / 100
    if not 0 < share < 1:
        raise ValueError(f"must be more than 0% and less than 100%, got {value!r}")
    return share


def parse_time(value: str | int) -> time:
    if not isinstance(value, str):
        raise ValueError(_unquoted(value))
    found = _TIME.fullmatch(value.strip())
    if found is None or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise ValueError(f"not a time of day: {value!r} (write HH:MM, e.g. 08:00)")
    return time(int(found.group(1)), int(found.group(2)))


def parse_quiet_hours(value: str | int) -> QuietHours:
    if not isinstance(value, str):
        raise ValueError(_unquoted(value))
    found = _SPAN.fullmatch(value.strip())
    if found is None:
        raise ValueError(f"not a span of the day: {value!r} (write e.g. 22:00-07:00)")
    try:
        start, end = parse_time(found.group(1)), parse_time(found.group(2))
    except ValueError as exc:
        raise ValueError(f"{value!r}: {exc}") from None
    if start == end:
        raise ValueError(f"starts and ends at the same time: {value!r}")
    return QuietHours(start, end)


def _unquoted(value: object) -> str:
    """YAML reads 18:30 as 18 * 60 + 30 (a base-60 number): show the time it was."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < _DAY_MINUTES:
        written = f"{value // 60}:{value % 60:02d}"
        return f'YAML reads {written} without quotes as a number: write "{written}"'
    return f"not a time of day: {value!r} (write HH:MM in quotes, e.g. \"08:00\")"


def reminder_problems(settings: ReminderSettings) -> Iterator[tuple[str, str]]:
    """What is wrong with the section, by its path in plant.yaml."""
    readers: dict[str, Callable[[], object]] = {
        "reminders.at": lambda: settings.share,
        "reminders.repeat": lambda: settings.repeat_every,
        "reminders.quiet_hours": lambda: settings.quiet,
        "reminders.digest_at": lambda: settings.digest_time,
        "reminders.draft": lambda: settings.draft_after,
    }
    wrong: set[str] = set()
    for path, read in readers.items():
        try:
            read()
        except ValueError as exc:
            wrong.add(path)
            yield path, str(exc)
    if "reminders.repeat" not in wrong and settings.repeat_every <= timedelta(0):
        yield "reminders.repeat", f"must be longer than zero, got {settings.repeat!r}"
    if "reminders.draft" not in wrong and not timedelta(0) < settings.draft_after < DRAFT_KEPT:
        yield ("reminders.draft", f"must be longer than zero and shorter than the "
               f"{DRAFT_KEPT_TEXT} a draft is kept, got {settings.draft!r}")
    if wrong & {"reminders.quiet_hours", "reminders.digest_at"}:
        return
    quiet = settings.quiet
    if quiet is not None and quiet.covers(settings.digest_time):
        yield (
            "reminders.digest_at",
            f"{settings.digest_at} is within the quiet hours ({settings.quiet_hours}): the "
            "digest would come at night (choose a time outside them)",
        )

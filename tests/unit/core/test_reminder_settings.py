"""plant.yaml's `reminders` read into shares, spans and times, and what is wrong with them."""

from __future__ import annotations

from datetime import time

import pytest

from core.reminder_settings import QuietHours, ReminderSettings, reminder_problems


def problems(**written: object) -> list[tuple[str, str]]:
    return list(reminder_problems(ReminderSettings(**written)))  # type: ignore[arg-type]


def test_the_defaults_remind_at_75_percent_daily_at_the_top_and_digest_at_eight() -> None:
    settings = ReminderSettings()
    assert (settings.share, settings.repeat_every.total_seconds(), settings.quiet,
            settings.digest_time) == (0.75, 86400, None, time(8, 0))
    assert problems() == []


def test_quiet_hours_over_midnight_cover_the_night_and_not_the_day() -> None:
    quiet = ReminderSettings(quiet_hours="22:00-07:00").quiet
    assert quiet == QuietHours(time(22), time(7))
    assert [quiet.covers(time(h)) for h in (21, 22, 0, 6, 7, 12)] == [
        False, True, True, True, False, False]


def test_quiet_hours_within_a_day_cover_only_that_span() -> None:
    quiet = ReminderSettings(quiet_hours="12:00 – 13:30").quiet
    assert quiet is not None
    assert [quiet.covers(time(h, m)) for h, m in ((11, 59), (12, 0), (13, 29), (13, 30))] == [
        False, True, True, False]


@pytest.mark.parametrize(("at", "message"), [
    ("100%", "must be more than 0% and less than 100%, got '100%'"),
    ("0%", "must be more than 0% and less than 100%, got '0%'"),
    ("150 %", "must be more than 0% and less than 100%, got '150 %'"),
    (0.75, "not a share of the window: 0.75 (write e.g. 75%)"),
    ("three quarters", "not a share of the window: 'three quarters' (write e.g. 75%)"),
])
def test_a_share_must_be_a_percentage_strictly_inside_the_window(at: object, message: str) -> None:
    assert problems(at=at) == [("reminders.at", message)]


@pytest.mark.parametrize(("quiet", "message"), [
    ("22:00", "not a span of the day: '22:00' (write e.g. 22:00-07:00)"),
    ("22:00-25:00", "'22:00-25:00': not a time of day: '25:00' (write HH:MM, e.g. 08:00)"),
    ("07:00-07:00", "starts and ends at the same time: '07:00-07:00'"),
    (1320, 'YAML reads 22:00 without quotes as a number: write "22:00"'),
])
def test_bad_quiet_hours_are_named(quiet: object, message: str) -> None:
    assert problems(quiet_hours=quiet) == [("reminders.quiet_hours", message)]


@pytest.mark.parametrize(("digest_at", "message"), [
    ("8 am", "not a time of day: '8 am' (write HH:MM, e.g. 08:00)"),
    ("08:60", "not a time of day: '08:60' (write HH:MM, e.g. 08:00)"),
    (1110, 'YAML reads 18:30 without quotes as a number: write "18:30"'),
])
def test_a_bad_digest_time_is_named(digest_at: object, message: str) -> None:
    assert problems(digest_at=digest_at) == [("reminders.digest_at", message)]


def test_a_digest_in_the_quiet_hours_is_refused() -> None:
    [(path, message)] = problems(quiet_hours="22:00-07:00", digest_at="06:30")
    assert path == "reminders.digest_at" and "within the quiet hours" in message


@pytest.mark.parametrize("repeat", ["0h", "daily"])
def test_the_repeat_must_be_a_duration_longer_than_zero(repeat: str) -> None:
    [(path, _)] = problems(repeat=repeat)
    assert path == "reminders.repeat"

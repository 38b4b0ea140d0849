"""The nightly trend scan (core/trend_scan.py): at `trends.scan_at` (02:00) plant time, once
a plant day. A scan that finds its day marked does nothing, so running the job again, after
a restart or in a second process, keeps no warning twice (the warnings are unique too)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.reminder_settings import parse_time
from core.trend_scan import scan_trends
from handlers.context import Services


def _scan_instant(services: Services, now: datetime, days: int = 0) -> datetime:
    plant = services.plant
    zone = ZoneInfo(plant.timezone)
    day = now.astimezone(zone).date() + timedelta(days=days)
    at: time = parse_time(plant.trends.scan_at)
    return datetime.combine(day, at, tzinfo=zone)


def scan_nightly(services: Services) -> int:
    """Scan when tonight's scan is due and not done; returns how many warnings it kept."""
    now = services.clock.now()
    if now < _scan_instant(services, now):
        return 0
    day = now.astimezone(ZoneInfo(services.plant.timezone)).date()
    with services.uow() as uow:
        if uow.trends.scanned(day):
            return 0
        kept = scan_trends(uow=uow, plant=services.plant, clock=services.clock)
        uow.commit()
    return len(kept)


def next_scan(services: Services) -> datetime | None:
    now = services.clock.now()
    today = _scan_instant(services, now)
    if now < today:
        return today
    day = now.astimezone(ZoneInfo(services.plant.timezone)).date()
    with services.uow() as uow:
        done = uow.trends.scanned(day)
    return _scan_instant(services, now, days=1) if done else now

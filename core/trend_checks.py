"""What is wrong with plant.yaml's `trends` and `health_index` sections, by YAML path."""

from __future__ import annotations

from collections.abc import Iterator

from core.durations import parse_duration
from core.index_settings import DIMENSIONS, HealthIndexSettings
from core.reminder_settings import parse_time
from core.round_settings import parse_window
from core.trend_settings import TrendSettings

Problem = tuple[str, str]


def analytics_problems(trends: TrendSettings, index: HealthIndexSettings) -> list[Problem]:
    return [*_trend_problems(trends), *_index_problems(index)]


def _trend_problems(trends: TrendSettings) -> Iterator[Problem]:
    if trends.min_count < 2:
        yield "trends.min_count", f"must be 2 or more (a trend repeats), got {trends.min_count}"
    for key in ("window", "long_run", "lookback"):
        try:
            if parse_duration(getattr(trends, key)).total_seconds() <= 0:
                yield f"trends.{key}", "must be longer than zero"
        except ValueError as exc:
            yield f"trends.{key}", str(exc)
    if not trends.plan_times:
        yield "trends.plan_times", "name at least one window, e.g. [08:00-10:00, 14:00-16:00]"
    for i, written in enumerate(trends.plan_times):
        try:
            parse_window(written)
        except ValueError as exc:
            yield f"trends.plan_times[{i}]", str(exc)
    try:
        parse_time(trends.scan_at)
    except ValueError as exc:
        yield "trends.scan_at", str(exc)


def _index_problems(index: HealthIndexSettings) -> Iterator[Problem]:
    for key in index.weights:
        if key not in DIMENSIONS:
            yield f"health_index.weights.{key}", (
                f"unknown dimension {key!r} (known: {', '.join(DIMENSIONS)})")
        elif index.weights[key] < 0:
            yield f"health_index.weights.{key}", "a weight cannot be negative"
    if sum(index.weight(d) for d in DIMENSIONS) <= 0:
        yield "health_index.weights", "at least one weight must be above zero"
    if index.density_ideal <= 0:
        yield "health_index.density_ideal", "must be above zero"
    if index.density_worst <= index.density_ideal:
        yield "health_index.density_worst", "must be above density_ideal"
    if index.recurrence_worst <= 0:
        yield "health_index.recurrence_worst", "must be above zero"
    if index.severity_worst <= 1:
        yield "health_index.severity_worst", "must be above 1 (the weight of a general hazard)"
    for key, weight in index.severity_weights.items():
        if key not in ("general", "serious", "critical"):
            yield f"health_index.severity_weights.{key}", (
                "unknown severity (known: general, serious, critical)")
        elif weight < 0:
            yield f"health_index.severity_weights.{key}", "a weight cannot be negative"

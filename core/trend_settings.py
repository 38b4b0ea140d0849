"""plant.yaml's `trends`: when a machine's repeated hazards become a trend warning (趋势预警).

`trends: {min_count: 3, window: 90d, long_run: 10h}`: at least `min_count` valid reports of
one machine and category within `window` flag it; an occurrence after more than `long_run`
of continuous running counts as following a long run. The nightly scan looks back
`lookback`; the button under a warning adds a special inspection plan with `plan_times`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.durations import parse_duration


@dataclass(frozen=True)
class TrendSettings:
    min_count: int = 3
    window: str = "90d"
    long_run: str = "10h"
    lookback: str = "180d"  # six months of reports are read each night
    # Twice a day by default: a morning and an afternoon check of the machine.
    plan_times: tuple[str, ...] = ("08:00-10:00", "14:00-16:00")
    scan_at: str | int = "02:00"  # plant time, when the nightly scan runs

    @property
    def window_span(self) -> timedelta:
        return parse_duration(self.window)

    @property
    def long_run_span(self) -> timedelta:
        return parse_duration(self.long_run)

    @property
    def lookback_span(self) -> timedelta:
        return max(parse_duration(self.lookback), self.window_span)

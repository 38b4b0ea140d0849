"""Deadline policies as JSON, for the copy a ticket keeps of the policy it opened under."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.deadline import REPEAT, DeadlinePolicy, Rung
from core.plant import Role


def _seconds(window: timedelta | None) -> int | None:
    return None if window is None else round(window.total_seconds())


def _window(seconds: int | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=seconds)


def policy_json(policy: DeadlinePolicy) -> dict[str, Any]:
    """Windows in whole seconds, roles by their plant.yaml names."""
    return {
        "windows": {name: _seconds(window) for name, window in policy.windows.items()},
        "ladder": [{"role": rung.role.value, "window": _seconds(rung.window)}
                   for rung in policy.ladder],
        "remind_share": policy.remind_share,
        "repeat": _seconds(policy.repeat),
    }


def policy_from_json(data: dict[str, Any]) -> DeadlinePolicy:
    windows = {name: timedelta(seconds=seconds) for name, seconds in data["windows"].items()}
    ladder = tuple(Rung(Role(rung["role"]), _window(rung["window"])) for rung in data["ladder"])
    # Policies copied before `repeat` was kept repeat daily, as the default does.
    repeat = _window(data["repeat"]) if "repeat" in data else REPEAT
    return DeadlinePolicy(windows, ladder, float(data["remind_share"]), repeat)

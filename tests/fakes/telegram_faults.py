"""Fault injection for the fake Bot API: scripted failures, outages and flood limits."""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from tests.fakes.telegram_params import ApiError

_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def too_many_requests(retry_after: int) -> ApiError:
    """Telegram's flood-control answer."""
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )


def bad_gateway() -> ApiError:
    """What Telegram's front end answers while the Bot API is down."""
    return ApiError(502, "Bad Gateway")


@dataclass
class FailRule:
    """Fail the next `remaining` calls of `method` (any method when None)."""

    method: str | None
    remaining: int
    status: int
    retry_after: int
    description: str | None

    def error(self) -> ApiError:
        """The error this rule answers with."""
        if self.status == 429:
            return too_many_requests(self.retry_after)
        text = self.description or _DESCRIPTIONS.get(self.status, f"Error {self.status}")
        return ApiError(self.status, text)


@dataclass
class RateLimiter:
    """Sliding-window flood limits shaped like Telegram's published ones."""

    per_second: int = 30
    per_group_per_minute: int = 20
    per_private_chat_per_second: int | None = None
    _overall: deque[float] = field(default_factory=deque)
    _per_chat: dict[int, deque[float]] = field(default_factory=dict)

    def admit(self, chat_id: int | None, now: float) -> ApiError | None:
        """Count one send at `now`, or return the 429 to answer instead."""
        windows: list[tuple[deque[float], float, int]] = [(self._overall, 1.0, self.per_second)]
        if chat_id is not None:
            chat_window = self._per_chat.setdefault(chat_id, deque())
            if chat_id < 0:
                windows.append((chat_window, 60.0, self.per_group_per_minute))
            elif self.per_private_chat_per_second is not None:
                windows.append((chat_window, 1.0, self.per_private_chat_per_second))
        wait = 0.0
        for window, span, limit in windows:
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= limit:
                wait = max(wait, window[0] + span - now)
        if wait > 0:
            return too_many_requests(max(1, math.ceil(wait)))
        for window, _, _ in windows:
            window.append(now)
        return None


class Faults:
    """All injected trouble, consulted before every API method runs."""

    def __init__(self) -> None:
        self.is_down = False
        self.rules: list[FailRule] = []
        self.limiter: RateLimiter | None = None

    def fail_next(
        self,
        method: str | None,
        count: int,
        status: int,
        retry_after: int,
        description: str | None,
    ) -> None:
        """Queue a failure rule."""
        name = method.lower() if method else None
        self.rules.append(FailRule(name, count, status, retry_after, description))

    def check(self, method: str, chat_id: int | None) -> ApiError | None:
        """Return the error to answer for this call, consuming a rule if one matches."""
        name = method.lower()
        for rule in self.rules:
            if rule.remaining > 0 and rule.method in (None, name):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self.rules.remove(rule)
                return rule.error()
        if self.limiter is not None and _is_send(name):
            return self.limiter.admit(chat_id, time.monotonic())
        return None


def _is_send(method: str) -> bool:
    return method.startswith(("send", "copymessage", "forwardmessage")) and method != (
        "sendchataction"
    )

"""What can go wrong talking to the WeCom server API, and how an answer is checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

# 40014 invalid and 42001 expired access_token. 40001 ("invalid credential") is retried
# too: harmless, since with a truly wrong secret the fresh gettoken fails loudly.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
# 45009 frequency limit, 45011 minute quota, 45033 concurrency limit; suggested waits.
RATE_LIMIT_RETRY_AFTER_S = {45009: 60.0, 45011: 60.0, 45033: 1.0}
SYSTEM_BUSY = -1


class WecomError(Exception):
    """Any failure talking to WeCom."""


class WecomApiError(WecomError):
    """WeCom answered with a non-zero errcode (or an HTTP status it should never use)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeCom errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class WecomTokenRefused(WecomApiError):
    """The access_token was refused mid-call (expired or revoked early): worth a fresh one."""


class WecomRateLimited(WecomApiError):
    """A frequency, quota or concurrency limit; try again after `retry_after` seconds."""

    def __init__(self, errcode: int, errmsg: str, retry_after: float) -> None:
        super().__init__(errcode, errmsg)
        self.retry_after = retry_after


class WecomUnavailable(WecomError):
    """Network failure, timeout, HTTP 5xx or errcode -1 (system busy): safe to retry later."""


def json_of(response: httpx.Response) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is something else (media bytes)."""
    ctype = response.headers.get("content-type", "")
    if "json" not in ctype and "text" not in ctype and not response.content.startswith(b"{"):
        return None
    try:
        data = response.json()
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def errcode(data: Mapping[str, Any] | None) -> int:
    if not data:
        return 0
    try:
        return int(data.get("errcode") or 0)
    except (TypeError, ValueError):
        return 0


def raise_for(path: str, data: Mapping[str, Any] | None) -> None:
    code = errcode(data)
    if code == 0:
        return
    errmsg = str((data or {}).get("errmsg", ""))
    if code in RATE_LIMIT_RETRY_AFTER_S:
        raise WecomRateLimited(code, errmsg, RATE_LIMIT_RETRY_AFTER_S[code])
    if code == SYSTEM_BUSY:
        raise WecomUnavailable(f"{path}: system busy ({errmsg})")
    raise WecomApiError(code, errmsg)

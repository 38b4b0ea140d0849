"""The append-only audit log (留痕): every entry seals the one before it with a hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str, seq: int, at: datetime, actor: str, action: str, subject: str,
    data: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, seq, at.isoformat(), actor, action, subject, data],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def first_bad_entry(entries: Iterable[AuditEntry]) -> AuditEntry | None:
    """The first entry whose content, order or link to its predecessor was altered."""
    prev, expected_seq = GENESIS, 1
    for entry in entries:
        recomputed = entry_hash(
            prev, entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.data
        )
        if entry.seq != expected_seq or entry.prev_hash != prev or entry.hash != recomputed:
            return entry
        prev, expected_seq = entry.hash, expected_seq + 1
    return None

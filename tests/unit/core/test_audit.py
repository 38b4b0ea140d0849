"""The hash-chained audit log: it verifies as written and names the first tampered entry."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

import pytest

from core.audit import GENESIS, AuditEntry, entry_hash, first_bad_entry
from tests.unit.core.fakes import T0, FakeAuditLog


@pytest.fixture
def log() -> FakeAuditLog:
    log = FakeAuditLog()
    for i, (actor, action) in enumerate(
        [("W1", "TicketOpened"), ("TL-MECH", "TicketActed"), ("SO1", "TicketActed"),
         ("system", "TicketEscalated")]
    ):
        log.append(at=T0 + timedelta(minutes=i), actor=actor, action=action,
                   subject="HZ-261128-0001", data={"step": i, "note": "现场已隔离"})
    return log


def test_an_untouched_chain_verifies(log: FakeAuditLog) -> None:
    entries = list(log.entries())
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(entries))
    assert first_bad_entry(entries) is None


def test_an_empty_log_verifies() -> None:
    assert first_bad_entry([]) is None


def test_an_altered_entry_is_caught(log: FakeAuditLog) -> None:
    log.rows[1] = replace(log.rows[1], actor="ADMIN")
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 2


def test_altered_data_is_caught(log: FakeAuditLog) -> None:
    log.rows[2] = replace(log.rows[2], data={"step": 2, "note": "无"})
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 3


def test_an_altered_entry_whose_hash_was_recomputed_breaks_the_next_link(
    log: FakeAuditLog,
) -> None:
    e = replace(log.rows[1], actor="ADMIN")
    log.rows[1] = replace(e, hash=entry_hash(e.prev_hash, e.seq, e.at, e.actor, e.action,
                                             e.subject, e.data))
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 3


def test_a_removed_entry_is_caught(log: FakeAuditLog) -> None:
    del log.rows[1]
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 3


def test_a_removed_first_entry_is_caught(log: FakeAuditLog) -> None:
    del log.rows[0]
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 2


def test_reordered_entries_are_caught(log: FakeAuditLog) -> None:
    log.rows[1], log.rows[2] = log.rows[2], log.rows[1]
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 3


def test_a_moved_timestamp_is_caught(log: FakeAuditLog) -> None:
    log.rows[3] = replace(log.rows[3], at=log.rows[3].at - timedelta(hours=1))
    bad = first_bad_entry(log.entries())
    assert bad is not None and bad.seq == 4


def test_the_hash_does_not_depend_on_the_order_of_data_keys() -> None:
    one = entry_hash(GENESIS, 1, T0, "W1", "TicketOpened", "HZ", {"a": 1, "b": "二"})
    two = entry_hash(GENESIS, 1, T0, "W1", "TicketOpened", "HZ", {"b": "二", "a": 1})
    assert one == two
    assert len(one) == 64


@pytest.mark.parametrize("field", ["prev", "seq", "at", "actor", "action", "subject", "data"])
def test_every_field_is_sealed_by_the_hash(field: str) -> None:
    base: dict[str, object] = {
        "prev": GENESIS, "seq": 1, "at": T0, "actor": "W1", "action": "TicketOpened",
        "subject": "HZ-261128-0001", "data": {"team": "MECH"},
    }
    changed = dict(base) | {field: {
        "prev": "f" * 64, "seq": 2, "at": T0 + timedelta(seconds=1), "actor": "W2",
        "action": "TicketActed", "subject": "HZ-261128-0002", "data": {"team": "ELEC"},
    }[field]}
    assert entry_hash(*base.values()) != entry_hash(*changed.values())  # type: ignore[arg-type]


def test_an_entry_written_by_hand_is_recognised_as_well_formed() -> None:
    digest = entry_hash(GENESIS, 1, T0, "W1", "TicketOpened", "HZ", {})
    entry = AuditEntry(1, T0, "W1", "TicketOpened", "HZ", {}, GENESIS, digest)
    assert first_bad_entry([entry]) is None

"""Photo prints, followers and the suspected links in SQL, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from core.photo_prints import PhotoPrint
from core.plant import Severity
from core.tickets import Ticket
from storage.duplicates import to_signed, to_unsigned
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TOP_BIT = 1 << 63


def ticket(number: int, **changes: object) -> Ticket:
    base = Ticket(
        code=f"HZ-261128-{number:04d}", reporter="W01", area="MACH", category="mechanical",
        severity=Severity.GENERAL, urgency=Severity.GENERAL, description="防护罩松动",
        team="MECH", created_at=T0,
    )
    return replace(base, **changes)


def keep(engine: Engine, opened: Ticket, *prints: PhotoPrint) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(replace(opened, photos=[p.sha256 for p in prints]))
        uow.duplicates.index(opened.code, prints, opened.created_at)
        uow.commit()


def seen(engine: Engine, *prints: PhotoPrint, since: datetime = T0 - DAY) -> list[str]:
    with SqlUnitOfWork(engine) as uow:
        return [s.ticket.code for s in uow.duplicates.seen(prints, since)]


def test_a_64_bit_hash_comes_back_as_it_went_whatever_its_top_bit() -> None:
    for value in (0, 1, TOP_BIT - 1, TOP_BIT, (1 << 64) - 1, 0xF0E1_D2C3_B4A5_9687):
        assert -TOP_BIT <= to_signed(value) < TOP_BIT
        assert to_unsigned(to_signed(value)) == value


def test_a_print_is_found_by_its_bytes_or_by_two_equal_bands(engine: Engine) -> None:
    kept = PhotoPrint("a" * 64, 0xF0E1_D2C3_B4A5_9687)  # top bit set: a negative BIGINT
    keep(engine, ticket(1), kept)
    keep(engine, ticket(2), PhotoPrint("b" * 64))  # a plain picture: bytes only
    with SqlUnitOfWork(engine) as uow:
        [found] = uow.duplicates.seen([PhotoPrint("c" * 64, kept.dhash ^ 0x0101_0101_0101)], T0)
    assert found.ticket.code == "HZ-261128-0001" and found.photo == kept  # six bands moved
    assert seen(engine, PhotoPrint("c" * 64, kept.dhash ^ 0x0101_0101_0101_01)) == []  # 7
    assert seen(engine, PhotoPrint("b" * 64)) == ["HZ-261128-0002"]
    assert seen(engine, PhotoPrint("d" * 64)) == []


def test_a_lookup_sees_only_the_window_and_the_newest_first(engine: Engine) -> None:
    same = PhotoPrint("a" * 64, 0x1234)
    keep(engine, ticket(1, created_at=T0 - 2 * DAY), same)
    keep(engine, ticket(2), same)
    assert seen(engine, same, since=T0 - 3 * DAY) == ["HZ-261128-0002", "HZ-261128-0001"]
    assert seen(engine, same, since=T0 - DAY) == ["HZ-261128-0002"]


def test_keeping_a_print_twice_keeps_it_once(engine: Engine) -> None:
    photo = PhotoPrint("a" * 64, 77)
    keep(engine, ticket(1), photo)
    with SqlUnitOfWork(engine) as uow:
        uow.duplicates.index("HZ-261128-0001", [photo], T0)
        uow.commit()
    assert seen(engine, photo) == ["HZ-261128-0001"]


def test_the_lookup_uses_the_band_indexes_not_a_scan(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return  # the plan is SQLite's to show; PostgreSQL plans by its statistics
    keep(engine, ticket(1), PhotoPrint("a" * 64, 0x1234))
    with SqlUnitOfWork(engine) as uow:
        statement = uow.duplicates.seen_statement(  # type: ignore[attr-defined]
            [PhotoPrint("c" * 64, 0x1234)], T0)
        compiled = statement.compile(engine, compile_kwargs={"literal_binds": True})
        plan = uow.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "ix_photo_prints_b0" in details and "ix_photo_prints_sha256" in details, details
    assert "MULTI-INDEX OR" in details and "SCAN photo_prints" not in details, details


def test_followers_are_kept_once_in_the_order_they_joined(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(1))
        assert uow.duplicates.follow("HZ-261128-0001", "W03", T0 + DAY)
        assert uow.duplicates.follow("HZ-261128-0001", "W02", T0 + 2 * DAY)
        assert not uow.duplicates.follow("HZ-261128-0001", "W03", T0 + 3 * DAY)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.duplicates.followers("HZ-261128-0001") == ["W03", "W02"]
        assert uow.duplicates.followers("HZ-261128-0002") == []


def test_the_suspected_match_and_the_reused_photo_are_kept_with_the_ticket(
    engine: Engine,
) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tickets.add(ticket(3, suspected_duplicate_of="HZ-261128-0001",
                               reused_photo_of="HZ-261128-0002"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        kept = uow.tickets.get("HZ-261128-0003")
    assert kept is not None
    assert (kept.suspected_duplicate_of, kept.reused_photo_of) == (
        "HZ-261128-0001", "HZ-261128-0002")

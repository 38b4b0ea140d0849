"""Who is talking: plant.yaml's accounts are answered from the loaded plant (no query per
update), a reloaded plant answers for itself, and accounts bound since come from the
directory — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event

from bot.plantfile import read_plant
from core.clock import SimClock
from core.plant import Plant
from handlers import identity
from handlers.context import Services
from storage.blobs import FileBlobStore
from storage.photos import FilePhotoStore
from storage.uow import SqlUnitOfWork

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo-plant.yaml"
T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


def services(plant: Plant, engine: Engine, tmp_path: Path) -> Services:
    return Services(plant=plant, clock=SimClock(T0), uow=lambda: SqlUnitOfWork(engine),
                    photos=FilePhotoStore(tmp_path / "media"),
                    blobs=FileBlobStore(tmp_path / "blobs"), channels=("telegram",))


def loaded(plant: Plant, engine: Engine, tmp_path: Path) -> Services:
    """The plant as `build_app` loads it: its accounts bound in the directory."""
    with SqlUnitOfWork(engine) as uow:
        identity.seed(plant, uow)
        uow.commit()
    return services(plant, engine, tmp_path)


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def who(found: Services, account: str) -> str | None:
    with found.uow() as uow:
        person = identity.person_of(found, uow, "telegram", account)
        return person.id if person else None


def with_account(plant: Plant, person: str, account: str | None) -> Plant:
    """The plant with one person's Telegram account set (or taken away)."""
    people = []
    for p in plant.people:
        accounts = {c: a for c, a in p.accounts.items() if c != "telegram"}
        if p.id == person and account is not None:
            accounts["telegram"] = account
        elif p.id != person and "telegram" in p.accounts:
            accounts["telegram"] = p.accounts["telegram"]
        people.append(replace(p, accounts=accounts))
    return replace(plant, people=tuple(people))


def test_an_account_of_the_plant_file_is_known_without_a_query(
    engine: Engine, tmp_path: Path
) -> None:
    plant = read_plant(DEMO)
    w01 = plant.person("W01")
    assert w01 is not None
    found = loaded(plant, engine, tmp_path)
    with statements(engine) as seen:
        assert who(found, w01.accounts["telegram"]) == "W01"
    assert not [s for s in seen if "identities" in s]


def test_a_reloaded_plant_file_answers_for_its_own_accounts(
    engine: Engine, tmp_path: Path
) -> None:
    before = with_account(read_plant(DEMO), "W01", "700001")
    assert who(loaded(before, engine, tmp_path), "700001") == "W01"
    # The account changes hands in plant.yaml: W01 gives it up, W02 takes it.
    after = with_account(with_account(before, "W01", None), "W02", "700001")
    assert who(loaded(after, engine, tmp_path), "700001") == "W02"


def test_an_account_bound_since_the_plant_was_loaded_comes_from_the_directory(
    engine: Engine, tmp_path: Path
) -> None:
    found = loaded(read_plant(DEMO), engine, tmp_path)
    assert who(found, "8800123") is None                # a stranger ...
    with SqlUnitOfWork(engine) as uow:
        uow.directory.bind("telegram", "8800123", "W03")  # ... redeems an invitation
        uow.commit()
    assert who(found, "8800123") == "W03"

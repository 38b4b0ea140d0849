"""Migrations and models agree, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.database import upgrade

ROOT = Path(__file__).resolve().parents[2]

# The newest migration: every upgrade must end there.
HEAD = ScriptDirectory(str(ROOT / "storage" / "migrations")).get_current_head()

TABLES = {
    "tickets", "conversations", "inbox", "outbox", "audit_log", "points_ledger",
    "identities", "person_prefs", "inbound", "invites",
    "chains", "chain_steps",
    "digests", "digest_entries",
    "remediation_plans",
    "rounds", "round_days", "round_announcements",
    "checkins", "checklist_answers",
    "points_accounts", "shop_orders", "shop_stock",
    "photo_prints", "ticket_followers",
    "ticket_imports", "run_periods", "hours_worked",
    "injuries",
    "trend_warnings", "trend_scans", "added_plans",
    "monthly_reports",
}


def differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        return list(compare_metadata(context, SQLModel.metadata))


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrading_an_empty_database_creates_every_table(blank_engine: Engine) -> None:
    upgrade(blank_engine)
    assert set(inspect(blank_engine).get_table_names()) >= TABLES
    assert current_revision(blank_engine) == HEAD


def test_the_migrated_schema_matches_the_models_exactly(engine: Engine) -> None:
    # Fails when a model changes without a migration (or a migration without its model).
    assert differences(engine) == []


def test_the_models_name_every_table_the_migrations_create() -> None:
    assert set(SQLModel.metadata.tables) == TABLES


def schema_of(engine: Engine) -> dict[str, list[tuple[str, str, bool]]]:
    inspector = inspect(engine)
    return {
        table: [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)]
        for table in sorted(inspector.get_table_names())
    }


def test_upgrading_twice_changes_nothing(engine: Engine) -> None:
    before = schema_of(engine)
    upgrade(engine)
    assert current_revision(engine) == HEAD
    assert schema_of(engine) == before
    assert differences(engine) == []


def test_an_empty_database_differs_from_the_models(blank_engine: Engine) -> None:
    # The comparison itself must be able to fail, or the test above proves nothing.
    assert differences(blank_engine) != []


# One process each, as in production: Alembic keeps its migration context in module globals,
# so threads of one process would trip over each other rather than over the database.
UPGRADE = (
    "import sys; from storage.database import make_engine, upgrade; "
    "upgrade(make_engine(sys.argv[1]))"
)


@pytest.mark.parametrize(
    "blank_engine", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_processes_starting_together_on_an_empty_postgresql_database_all_upgrade_it(
    blank_engine: Engine,
) -> None:
    url = blank_engine.url.render_as_string(hide_password=False)
    starting = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE, url], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in starting]
    assert [process.returncode for process in starting] == [0] * len(starting), outputs
    assert current_revision(blank_engine) == HEAD
    assert differences(blank_engine) == []

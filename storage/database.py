"""Engines and schema upgrades for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed 64-bit number other software on the database is unlikely to pick.
MIGRATION_LOCK = 0x5AFE_1009_0000_0001


def normalise_url(url: str) -> str:
    """Plain `postgresql://` URLs use psycopg 3, the driver we ship."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers run beside the one writer; NORMAL is durable enough with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@cache
def _newest() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _is_current(engine: Engine) -> bool:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == _newest()


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration; processes starting together take turns."""
    if _is_current(engine):  # every start after the first: no need to load the migrations
        return
    if engine.dialect.name != "postgresql":
        command.upgrade(alembic_config(engine), "head")
        return
    # Two processes racing through the first migration both CREATE TABLE alembic_version
    # and one dies; a session-level advisory lock makes the second wait, then find it done.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as lock:
        lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        try:
            command.upgrade(alembic_config(engine), "head")
        finally:
            lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})

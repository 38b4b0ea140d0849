"""Storage tests run on SQLite (a file per test) and, when CI gives a server, PostgreSQL.

On PostgreSQL every test gets its own schema, so tests never see each other's rows
and can run while other test sessions use the same database.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from sqlalchemy import Engine

from storage.database import make_engine, upgrade

PG_URL_VARIABLE = "SAFETYLOOP_TEST_PG_URL"


def _sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'safetyloop.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


def _postgres_engine() -> Iterator[Engine]:
    url = os.environ.get(PG_URL_VARIABLE)
    if not url:
        pytest.skip(f"{PG_URL_VARIABLE} not set")
    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database, once per backend."""
    if request.param == "sqlite":
        yield from _sqlite_engine(tmp_path)
    else:
        yield from _postgres_engine()


@pytest.fixture
def engine(blank_engine: Engine) -> Engine:
    """An engine on a database upgraded to the latest migration."""
    upgrade(blank_engine)
    return blank_engine

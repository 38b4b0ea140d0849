"""Fast set-up for tests: a plant file parsed once, a database migrated once and copied.

Parsing the demo plant and running every migration cost about half a second per test
that builds an application; a copy of a database that went through the migrations once
is the same database, made in a few milliseconds.

    new_database(tmp_path / "t.db")   # before build_app on sqlite:///{tmp_path}/t.db
    app = build_app(settings, channels=..., plant=plant_from(DEMO_PLANT))
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

import pytest

from bot.plantfile import channel_keys
from core.plant import Plant
from storage.database import make_engine, upgrade
from storage.plantfile import load_plant


def plant_from(plant_file: Path) -> Plant:
    """The plant in a file, parsed once per content of the file (a test may edit it)."""
    key = (plant_file.resolve(), hashlib.sha256(plant_file.read_bytes()).hexdigest())
    if key not in _PLANTS:
        _PLANTS[key] = load_plant(plant_file, channels=channel_keys())
    return _PLANTS[key]


def new_database(path: Path) -> None:
    """A SQLite database at `path` with every migration applied; one already there stays.

    `build_app` still upgrades it, as a restarted process would, and finds nothing to do.
    """
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(_template()), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _template() -> Path:
    """The database migrated once per test session, in a folder removed at its end."""
    if not _TEMPLATE:
        folder = tempfile.TemporaryDirectory(prefix="safetyloop-template-")
        path = Path(folder.name) / "migrated.sqlite"
        engine = make_engine(f"sqlite:///{path}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        _TEMPLATE.append((folder, path))
    return _TEMPLATE[0][1]


_PLANTS: dict[tuple[Path, str], Plant] = {}
_TEMPLATE: list[tuple[tempfile.TemporaryDirectory[str], Path]] = []


def _only(backend: str, *marks: pytest.MarkDecorator) -> pytest.MarkDecorator:
    return pytest.mark.parametrize(
        "blank_engine", [pytest.param(backend, marks=marks)], indirect=True)


# For storage tests about what one backend alone has: the `engine` fixture on that one only.
ON_POSTGRESQL = _only("postgresql", pytest.mark.postgres)  # row locks, concurrent writers
ON_SQLITE = _only("sqlite")  # its EXPLAIN QUERY PLAN

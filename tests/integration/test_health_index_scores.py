"""The safety health index on SQLite and PostgreSQL: two departments of the demo plant in
November 2026, each dimension and the weighted sum worked out by hand (tests/trend_data.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from bot.cli import main
from core.plant import Plant
from storage.uow import SqlUnitOfWork
from tests.chat import DEMO_PLANT
from tests.databases import plant_from
from tests.trend_data import INDEX_BY_HAND, OCTOBER_BY_HAND, local, november, store

AS_OF = local(2026, 12, 10)  # every November deadline has passed


@pytest.fixture
def plant() -> Plant:
    return plant_from(DEMO_PLANT)


def test_each_dimension_and_the_index_of_two_departments_match_the_hand_count(
    engine: Engine, plant: Plant
) -> None:
    store(engine, november(plant))
    with SqlUnitOfWork(engine) as uow:
        found = uow.health_index.breakdown(plant, 2026, 11, as_of=AS_OF)
        october = uow.health_index.health_index(plant, 2026, 10, as_of=AS_OF)
    assert set(found) == {"PROD", "ADMIN"}  # the only departments owning areas
    admin, prod = found["ADMIN"], found["PROD"]
    assert admin.density == pytest.approx(3.0)
    assert admin.rectification == pytest.approx(0.75)
    assert admin.recurrence == pytest.approx(0.25)
    assert admin.severity == pytest.approx(4 / 3)
    assert admin.scores == pytest.approx({"density": 87.5, "rectification": 75.0,
                                          "recurrence": 50.0, "severity": 250 / 3})
    assert prod.density == pytest.approx(12 / 24.3)
    assert (prod.rectification, prod.recurrence, prod.severity) == (1.0, None, 2.0)
    assert prod.scores == pytest.approx({"density": 100 * (12 / 24.3) / 2,
                                         "rectification": 100.0, "recurrence": 100.0,
                                         "severity": 50.0})
    assert {d: s.index for d, s in found.items()} == INDEX_BY_HAND
    assert october == OCTOBER_BY_HAND


def test_safetyloop_kpi_fills_its_health_index_key(
    engine: Engine, plant: Plant, capsys: pytest.CaptureFixture[str]
) -> None:
    store(engine, november(plant))
    url = engine.url.render_as_string(hide_password=False)
    code = main(["kpi", "2026-11", "--as-of", "2026-12-10T09:00", "--format", "json",
                 "--database", url, "--config", str(DEMO_PLANT)])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["health_index"] == INDEX_BY_HAND
    main(["kpi", "2026-11", "--department", "ADMIN", "--as-of", "2026-12-10T09:00",
          "--format", "json", "--database", url, "--config", str(DEMO_PLANT)])
    assert json.loads(capsys.readouterr().out)["health_index"] == {"ADMIN": 74.2}

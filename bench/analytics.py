"""The month's KPIs beside one raw SQL aggregate, on 10k, 100k and 1M tickets.

For each table size the bench times what `safetyloop kpi` does: `core.kpi.month_kpis` (every
KPI of issue 12 for the plant, storage/kpi.py's queries) with the safety health index of
every department (storage/health_index.py's one grouped pass) in one unit of work and, on the
same table in the same run, one raw aggregate over the same month: `SELECT COUNT(*),
AVG(acknowledged − reported)` on the month's range of created_at. The ratio (KPIs + index) ÷
raw is what to compare across machines (goal ≤ 3 at 1M); nothing is asserted. Medians of
`--runs` runs, interleaved across sizes.

Tickets span twelve months (Dec 2025 – Nov 2026, Shanghai time), the month measured is
2026-11 (about a twelfth of the table): the demo plant's areas, 8 categories, 200 machines
named on half the tickets, 80/15/5 % general/serious/critical, 90 % valid, most acknowledged
and closed after random delays; 2 % escalated once (audit entries), 0.2 % run as chains. Rows
are generated in Python and inserted in chunks. SQLite always; PostgreSQL too when
SAFETYLOOP_TEST_PG_URL is set (VACUUM ANALYZE after loading, as autovacuum would; JIT off
for the raw aggregate as for the KPIs).

`--keep DIR` keeps the loaded tables for the next run (SQLite files in DIR, PostgreSQL schemas
`bench_kpi_keep_<size>`): a later run with the same option migrates them to the newest
revision and measures them again without loading (1M tickets take minutes to load).

    .venv/bin/python bench/analytics.py [--sizes 10000,100000,1000000] [--runs 3] [--no-pg]
                                        [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import Engine, func, insert, select, text  # noqa: E402

from bot.plantfile import read_plant  # noqa: E402
from core.kpi import month_kpis  # noqa: E402
from core.plant import Plant  # noqa: E402
from storage.database import make_engine, upgrade  # noqa: E402
from storage.kpi import ESCALATED, SqlKpiSource  # noqa: E402
from storage.tables import AuditRow, ChainRow, TicketRow  # noqa: E402
from storage.uow import SqlUnitOfWork  # noqa: E402
from tests.databases import new_database  # noqa: E402

PLANT = ROOT / "config" / "demo-plant.yaml"
PG_URL_VARIABLE = "SAFETYLOOP_TEST_PG_URL"
FIRST = datetime(2025, 11, 30, 16, 0, tzinfo=UTC)  # 1 December 2025, 00:00 in Shanghai
SPAN = timedelta(days=365)
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
NOV_END = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
AS_OF = NOV_END + timedelta(days=1)
CHUNK = 20_000
STATUSES = ("reported", "acknowledged", "in_progress", "resolved", "closed")


def ticket_rows(count: int, areas: list[str], seed: int = 12) -> Iterator[dict[str, Any]]:
    """`count` varied tickets in `areas`, reported at random across the twelve months."""
    rnd = random.Random(seed)
    categories = [f"cat{n}" for n in range(8)]
    machines = [f"EQ-{n:03d}" for n in range(200)]
    for n in range(count):
        at = FIRST + SPAN * rnd.random()
        severity = rnd.choices(("general", "serious", "critical"), (80, 15, 5))[0]
        ack = at + timedelta(hours=rnd.expovariate(1 / 8)) if rnd.random() < 0.9 else None
        resolved = ack + timedelta(hours=rnd.expovariate(1 / 20)) if ack and rnd.random() < 0.8 \
            else None
        closed = resolved + timedelta(hours=rnd.expovariate(1 / 10)) \
            if resolved and rnd.random() < 0.8 else None
        status = ("closed" if closed else "resolved" if resolved else
                  rnd.choice(STATUSES[1:3]) if ack else "reported")
        yield {
            "code": f"HZ-BENCH-{n:07d}", "day": "BENCH", "number": n, "reporter": "W01",
            "area": rnd.choice(areas), "category": rnd.choice(categories), "severity": severity,
            "urgency": severity, "description": "-", "team": "MECH",
            "equipment": rnd.choice(machines) if rnd.random() < 0.5 else None,
            "location_source": "area", "photos": [], "status": status,
            "validity": "valid" if rnd.random() < 0.9 else "invalid", "points": 0,
            "escalation_level": 0, "created_at": at, "acknowledged_at": ack,
            "resolved_at": resolved, "closed_at": closed, "chain_running": False,
        }


def load(engine: Engine, count: int, plant: Plant) -> float:
    """Fill the tables; the seconds it took. The plant's own areas: the health index
    counts the tickets of the departments owning them."""
    began = time.perf_counter()
    rnd = random.Random(7)
    rows = ticket_rows(count, [area.id for area in plant.areas])
    escalations: list[dict[str, Any]] = []
    chains: list[dict[str, Any]] = []
    with engine.begin() as db:
        while True:
            chunk = [row for _, row in zip(range(CHUNK), rows, strict=False)]
            if not chunk:
                break
            db.execute(insert(TicketRow), chunk)
            for row in chunk:
                if rnd.random() < 0.02:
                    escalations.append({
                        "seq": len(escalations) + 1, "actor": "system", "action": ESCALATED,
                        "at": row["created_at"] + timedelta(hours=25), "subject": row["code"],
                        "data": {}, "prev_hash": "0" * 64, "hash": "0" * 64})
                if rnd.random() < 0.002:
                    chains.append({"ticket": row["code"], "rule": "hv", "name": "高压",
                                   "name_en": "", "opened_at": row["created_at"],
                                   "closed_at": row["closed_at"]})
        for at in range(0, len(escalations), CHUNK):
            db.execute(insert(AuditRow), escalations[at:at + CHUNK])
        if chains:
            db.execute(insert(ChainRow), chains)
    analyze(engine)
    return time.perf_counter() - began


def analyze(engine: Engine) -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map)."""
    if engine.dialect.name == "postgresql":
        # What autovacuum does to a table loaded long ago: statistics and the visibility map
        # (index-only scans skip the heap only where it is set).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


@dataclass
class Table:
    backend: str
    size: int
    engine: Engine
    plant: Plant
    load_s: float
    kpi: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)

    def measure(self) -> None:
        began = time.perf_counter()
        with SqlUnitOfWork(self.engine) as uow:  # as bot/kpi_cli.py
            month_kpis(plant=self.plant, source=uow.kpis, injuries=uow.injuries,
                       hours=uow.hours_worked, year=2026, month=11, as_of=AS_OF,
                       health_index=uow.health_index.health_index(
                           self.plant, 2026, 11, as_of=AS_OF))
        self.kpi.append(time.perf_counter() - began)
        began = time.perf_counter()
        with SqlUnitOfWork(self.engine) as uow:
            if self.backend == "postgresql":  # as the KPI queries run: no JIT (storage/kpi.py)
                uow.session.execute(text("SET LOCAL jit = off"))
            t = TicketRow.__table__.c  # type: ignore[attr-defined]
            hours = SqlKpiSource(uow.session).seconds(t.acknowledged_at, t.created_at)
            uow.session.execute(select(func.count(), func.avg(hours)).where(
                t.created_at >= NOV_START, t.created_at < NOV_END)).one()
        self.raw.append(time.perf_counter() - began)


@contextmanager
def sqlite_engine(folder: Path, size: int) -> Iterator[Engine]:
    path = folder / f"kpi-{size}.db"
    new_database(path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        upgrade(engine)  # a kept file may predate the newest migration
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_engine(url: str, size: int, *, keep: bool) -> Iterator[Engine]:
    schema = f"bench_kpi_keep_{size}" if keep else f"bench_kpi_{size}_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    separator = "&" if "?" in url else "?"
    engine = make_engine(f"{url}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if not keep:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


def loaded(engine: Engine, size: int, plant: Plant) -> float:
    """Load the table unless a kept one already holds `size` tickets; the seconds loading
    took (0 when kept)."""
    with engine.connect() as connection:
        held = connection.execute(select(func.count()).select_from(TicketRow)).scalar_one()
    if held == size:
        analyze(engine)  # a migration since may have added an index
        return 0.0
    if held:
        raise SystemExit(f"a kept table holds {held:,} tickets, not {size:,}: remove it")
    return load(engine, size, plant)


def report(tables: list[Table]) -> None:
    print(f"{'backend':<10} {'tickets':>9} {'load s':>7} {'KPIs+HI s':>9} {'raw s':>8} "
          f"{'ratio':>6}")
    for t in tables:
        kpi, raw = statistics.median(t.kpi), statistics.median(t.raw)
        print(f"{t.backend:<10} {t.size:>9,} {t.load_s:>7.1f} {kpi:>9.3f} {raw:>8.3f} "
              f"{kpi / raw:>6.2f}")
    print(f"\nratio: the month's KPIs and health index ÷ one COUNT+AVG over the same month, "
          f"medians of {len(tables[0].kpi)} runs; the goal is ≤ 3 at 1M")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the loaded tables here for next time")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    pg_url = None if args.no_pg else os.environ.get(PG_URL_VARIABLE)
    plant = read_plant(PLANT)
    with ExitStack() as stack:
        folder = args.keep or Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="safetyloop-kpi-bench-")))
        tables = []
        for backend in ("sqlite", "postgresql") if pg_url else ("sqlite",):
            for size in sizes:
                engine = stack.enter_context(
                    sqlite_engine(folder, size) if backend == "sqlite"
                    else postgres_engine(pg_url or "", size, keep=args.keep is not None))
                tables.append(Table(backend, size, engine, plant, loaded(engine, size, plant)))
                print(f"loaded {backend} {size:,}", file=sys.stderr, flush=True)
        for _ in range(args.runs):
            for table in tables:
                table.measure()
        report(tables)


if __name__ == "__main__":
    main()

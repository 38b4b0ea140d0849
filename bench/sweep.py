"""Sweep cost against table size: one sweep with 1,000 due tickets among 10k, 100k and 1M
stored tickets, as ratios to the 10k case. The goal is ≤ 1.5 at 1M: a sweep costs what
its due tickets cost, not what the table holds (storage.tickets.still_open says why that
needed care).

The sweep is the one `safetyloop run` triggers (`scheduler.jobs.run_all`: escalations,
reminders and every other job), on a SQLite file, and on PostgreSQL too when
SAFETYLOOP_TEST_PG_URL is set (statistics fresh, as autovacuum keeps them). Stored
tickets are the app's own rows, a tenth of them open with a deadline ahead, the rest
closed; they are inserted in bulk (a 1,000-row block, then copied by INSERT ... SELECT).
Each size is built once; then the sweeps run `--runs` times, interleaved across sizes
(the machine's noise falls on all alike), the due tickets put back between runs; medians
are reported. Only ratios are meant to be compared across machines; nothing is asserted.

    .venv/bin/python bench/sweep.py [--sizes 10000,100000,1000000] [--due 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# Run as a plain script, Python puts bench/ on the path, not the repo root the packages live in.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from sqlalchemy import Engine, delete, func, select  # noqa: E402
from sqlmodel import col  # noqa: E402

from bot.app import App, build_app  # noqa: E402
from bot.channels.terminal import TerminalChannel  # noqa: E402
from bot.plantfile import read_plant  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.clock import SimClock  # noqa: E402
from core.plant import Plant  # noqa: E402
from scheduler import jobs  # noqa: E402
from storage.database import make_engine  # noqa: E402
from storage.tables import OutboxRow, TicketRow  # noqa: E402
from tests.bulk_tickets import (  # noqa: E402
    NOW,
    copy_tickets,
    due_tickets,
    insert_tickets,
    stored_tickets,
)
from tests.databases import new_database  # noqa: E402
from tests.sweeps import first_start  # noqa: E402

PLANT = ROOT / "config" / "demo-plant.yaml"
PG_URL_VARIABLE = "SAFETYLOOP_TEST_PG_URL"
BLOCK = 1000  # stored rows inserted from Python; the rest are copies of them


@dataclass
class Table:
    """One database holding `stored` tickets, ready to sweep `due` of them again and again."""

    backend: str
    stored: int
    app: App
    plant: Plant
    due: int
    build_s: float
    runs: list[dict[str, float]] = field(default_factory=list)

    @property
    def engine(self) -> Engine:
        return self.app.engine

    def put_due_tickets(self) -> None:
        """Replace the last run's due tickets (now escalated) with fresh ones, and empty the
        outbox, which the delivery worker would have emptied."""
        with self.engine.begin() as db:
            db.execute(delete(TicketRow).where(col(TicketRow.number) > self.stored - self.due))
            db.execute(delete(OutboxRow))
            insert_tickets(db, due_tickets(self.plant, self.due))

    def sweep(self) -> None:
        self.put_due_tickets()
        times: dict[str, float] = {}
        done: dict[str, int] = {}
        for job in jobs.JOBS:  # what jobs.run_all does, timed per job
            began = time.perf_counter()
            done[job.name] = job.run(self.app.services)
            times[job.name] = time.perf_counter() - began
        if done.get("escalations") != self.due:  # the numbers would mean nothing
            raise SystemExit(f"{self.backend} {self.stored}: expected {self.due} escalations, "
                             f"the sweep made {done}")
        times["sweep"] = sum(times.values())
        self.runs.append(times)

    def median(self, name: str) -> float:
        return statistics.median(run[name] for run in self.runs)


def build(backend: str, engine: Engine, data_dir: Path, stored: int, due: int) -> Table:
    """`stored` tickets, `due` of them due, and the app on them as `safetyloop run` builds it."""
    began = time.perf_counter()
    plant = read_plant(PLANT)
    first_start(engine, data_dir)
    blocks, rest = divmod(stored - due, BLOCK)
    with engine.begin() as db:
        insert_tickets(db, stored_tickets(plant, BLOCK))
        if blocks > 1:
            copy_tickets(db, 1, BLOCK, blocks - 1)
        insert_tickets(db, stored_tickets(plant, rest))
        insert_tickets(db, due_tickets(plant, due))
        count = db.execute(select(func.count()).select_from(TicketRow)).scalar_one()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    settings = Settings(database_url="sqlite://", data_dir=data_dir, plant_file=PLANT)
    app = build_app(settings, channels={"terminal": TerminalChannel(write=lambda _: None)},
                    engine=engine, plant=plant, clock=SimClock(NOW))
    for job in jobs.JOBS:  # one-off work of other jobs (round plans...) is not measured
        job.run(app.services)
    return Table(backend, count, app, plant, due, time.perf_counter() - began)


@contextmanager
def sqlite_engine(folder: Path, stored: int) -> Iterator[Engine]:
    path = folder / f"sweep-{stored}.db"
    new_database(path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_engine(url: str, stored: int) -> Iterator[Engine]:
    schema = f"bench_sweep_{stored}_{secrets.token_hex(4)}"
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


def report(tables: list[Table]) -> None:
    print(f"{'backend':<10} {'stored':>9} {'due':>5} {'build s':>8} {'sweep s':>8} "
          f"{'escalate s':>10} {'remind s':>9} {'ratio':>6} {'escalate ratio':>14}")
    for backend in dict.fromkeys(t.backend for t in tables):
        mine = [t for t in tables if t.backend == backend]
        base = mine[0]
        for t in mine:
            ratio = t.median("sweep") / base.median("sweep")
            escalate = t.median("escalations") / base.median("escalations")
            print(f"{backend:<10} {t.stored:>9,} {t.due:>5} {t.build_s:>8.1f} "
                  f"{t.median('sweep'):>8.3f} {t.median('escalations'):>10.3f} "
                  f"{t.median('reminders'):>9.3f} {ratio:>6.2f} {escalate:>14.2f}")
    print(f"\nratio: the median sweep beside the smallest table's ({len(tables[0].runs)} runs "
          "each, interleaved); the goal is ≤ 1.5 at 1M")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="stored tickets per table, comma-separated, smallest first")
    parser.add_argument("--due", type=int, default=1000, help="due tickets per sweep")
    parser.add_argument("--runs", type=int, default=3, help="sweeps per table (median)")
    parser.add_argument("--no-pg", action="store_true", help=f"skip PostgreSQL even if "
                        f"{PG_URL_VARIABLE} is set")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.due < 1 or args.runs < 1 or any(s < args.due + BLOCK for s in sizes):
        parser.error(f"every size must be at least --due + {BLOCK}")
    pg_url = None if args.no_pg else os.environ.get(PG_URL_VARIABLE)
    with tempfile.TemporaryDirectory(prefix="safetyloop-bench-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        tables = []
        for size in sizes:
            engine = stack.enter_context(sqlite_engine(folder, size))
            tables.append(build("sqlite", engine, folder / f"data-{size}", size, args.due))
        for size in sizes if pg_url else ():
            engine = stack.enter_context(postgres_engine(pg_url or "", size))
            tables.append(build("postgresql", engine, folder / f"pg-{size}", size, args.due))
        for _ in range(args.runs):
            for table in tables:
                table.sweep()
        report(tables)


if __name__ == "__main__":
    main()

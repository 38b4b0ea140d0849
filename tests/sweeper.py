"""A sweeper process: the app as `safetyloop run` builds it, running the project's own
sweep (`scheduler.jobs.run_all`) once on a simulated clock, as separate processes do.

    python -m tests.sweeper DATABASE_URL DATA_DIR --at 2026-11-30T01:00:00+00:00 [--wait-for-go]
        [--hold-at N]

It prints `ready` once built; with `--wait-for-go` it then waits for a line on stdin, so
several sweepers start together. When the sweep ends it prints what each job did, as JSON
(`{"escalations": 120, "reminders": 40, ...}`).

`--hold-at N` stops it between claiming and notifying: the N-th escalation of the sweep
has been claimed (its row locked), climbed and written to the outbox, and none of its
batch is committed. It prints `holding <PostgreSQL backend pid, or 0>` and sleeps, for a
test to kill it there. The hold is a subscriber this process adds to the app's event
registry, after the app's own (they run inside the commit, before it happens): the
production code has no hook for it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from bot.app import build_app
from bot.channels.terminal import TerminalChannel
from bot.settings import Settings
from core.clock import SimClock
from core.events import TicketEscalated
from core.ports import UnitOfWork
from scheduler import jobs
from storage.uow import SqlUnitOfWork

ROOT = Path(__file__).resolve().parents[1]
DEMO_PLANT = ROOT / "config" / "demo-plant.yaml"
HOLD_S = 3600.0


def hold_at(count: int) -> Callable[[TicketEscalated, UnitOfWork], None]:
    """A subscriber that stops the process at the `count`-th escalation it hears of."""
    heard = 0

    def hold(event: TicketEscalated, uow: UnitOfWork) -> None:
        nonlocal heard
        heard += 1
        if heard < count:
            return
        assert isinstance(uow, SqlUnitOfWork)
        backend = 0
        if uow.session.get_bind().dialect.name == "postgresql":
            backend = uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        print(f"holding {backend}", flush=True)
        time.sleep(HOLD_S)

    return hold


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--at", type=datetime.fromisoformat, required=True)
    parser.add_argument("--wait-for-go", action="store_true")
    parser.add_argument("--hold-at", type=int)
    args = parser.parse_args(argv)
    settings = Settings(database_url=args.database_url, data_dir=args.data_dir,
                        plant_file=DEMO_PLANT)
    app = build_app(settings, channels={"terminal": TerminalChannel(write=lambda _: None)},
                    clock=SimClock(args.at))
    if args.hold_at:
        app.services.events.subscribe(TicketEscalated, hold_at(args.hold_at))
    print("ready", flush=True)
    if args.wait_for_go:
        sys.stdin.readline()
    # What `jobs.run_all` does, counted per job: the tests see who did which share.
    done = {job.name: job.run(app.services) for job in jobs.JOBS}
    print(json.dumps(done), flush=True)
    app.engine.dispose()


if __name__ == "__main__":
    main()

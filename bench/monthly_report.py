"""Monthly report speed: `safetyloop report monthly` on a realistic month (hundreds of
tickets, each with a short trail, six months of history before it) on SQLite, split into its
steps — reading the figures and tickets, drawing the PDF (charts included), writing the
ledger — beside a baseline measured in the same run: one raw SQL COUNT and AVG over the
month's rows. Nothing is asserted; only the split and the ratios mean anything elsewhere.

    .venv/bin/python bench/monthly_report.py [--per-month 600] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

# Run as a plain script, Python puts bench/ on the path, not the repo root the packages live in.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from bot.monthly_cli import read_month, wording
from core.plant import Severity
from core.tickets import Status, Ticket, Validity
from handlers.i18n import t
from reports.ledger_xlsx import ledger_workbook
from reports.monthly_pdf import monthly_pdf
from storage.database import make_engine, upgrade
from storage.uow import SqlUnitOfWork
from tests.databases import plant_from

ROOT = Path(__file__).resolve().parent.parent
NOV_START = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
AS_OF = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
STATUSES = (Status.CLOSED, Status.CLOSED, Status.RESOLVED, Status.IN_PROGRESS,
            Status.ACKNOWLEDGED)


def fill(engine_url: str, per_month: int) -> None:
    plant = plant_from(ROOT / "config" / "demo-plant.yaml")
    areas, categories = [a.id for a in plant.areas], [c.id for c in plant.categories]
    rng = random.Random(7)
    engine = make_engine(engine_url)
    upgrade(engine)
    with SqlUnitOfWork(engine) as uow:
        number = 0
        for back in range(7):
            start = NOV_START - timedelta(days=30 * back)
            for _ in range(per_month):
                number += 1
                at = start + timedelta(minutes=rng.randrange(30 * 24 * 60))
                status = rng.choice(STATUSES)
                made = Ticket(
                    code=f"HZ-BENCH-{number:06d}", reporter="W01", area=rng.choice(areas),
                    category=rng.choice(categories), severity=Severity.GENERAL,
                    urgency=Severity.GENERAL, description="设备防护罩破损，需更换",
                    team="MECH", created_at=at, equipment=f"CNC-{rng.randrange(40):02d}",
                    validity=Validity.VALID if rng.random() < 0.9 else Validity.INVALID,
                    status=status, acknowledged_at=at + timedelta(hours=rng.uniform(0.5, 30)),
                    closed_at=(at + timedelta(hours=rng.uniform(10, 200))
                               if status is Status.CLOSED else None))
                uow.tickets.add(made)
                if back == 0:  # the report's month carries its trail into the ledger
                    for step, action in enumerate(("TicketOpened", "TicketAcknowledged",
                                                   "TicketResolved")):
                        uow.audit.append(at=at + timedelta(hours=step), actor="W01",
                                         action=action, subject=made.code, data={})
        uow.commit()
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-month", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    plant = plant_from(ROOT / "config" / "demo-plant.yaml")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        fill(url, args.per_month)
        engine = make_engine(url)
        steps: dict[str, list[float]] = {"raw": [], "read": [], "pdf": [], "xlsx": []}
        for _ in range(args.runs):
            began = time.perf_counter()
            with engine.connect() as db:
                db.execute(text("SELECT COUNT(*), AVG(julianday(acknowledged_at) - "
                                "julianday(created_at)) FROM tickets WHERE created_at >= :a "
                                "AND created_at < :b"),
                           {"a": NOV_START.isoformat(),
                            "b": (NOV_START + timedelta(days=30)).isoformat()}).one()
            steps["raw"].append(time.perf_counter() - began)
            began = time.perf_counter()
            data, tickets, trail = read_month(engine, plant, 2026, 11, as_of=AS_OF)
            steps["read"].append(time.perf_counter() - began)
            began = time.perf_counter()
            monthly_pdf(data, wording(plant, data, "zh-CN"))
            steps["pdf"].append(time.perf_counter() - began)
            began = time.perf_counter()
            ledger_workbook(plant, tickets, trail, exported_at=AS_OF,
                            say=partial(t, "zh-CN")).save(io.BytesIO())
            steps["xlsx"].append(time.perf_counter() - began)
        engine.dispose()
    med = {name: statistics.median(times) for name, times in steps.items()}
    total = med["read"] + med["pdf"] + med["xlsx"]
    print(f"month of {len(tickets)} tickets ({len(trail)} trail entries), "
          f"{7 * args.per_month} stored, median of {args.runs} runs (the first draws cold)")
    for name in ("raw", "read", "pdf", "xlsx"):
        print(f"  {name:<5} {med[name] * 1000:8.1f} ms")
    print(f"  total {total * 1000:8.1f} ms; read ÷ raw = {med['read'] / med['raw']:.0f}")


if __name__ == "__main__":
    main()

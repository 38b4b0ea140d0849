"""Intake throughput: N complete /report conversations through handlers and SQLite storage.

Prints conversations/s and per-event latency beside a baseline measured in the same
run (the same tickets inserted straight into `tickets`, one transaction each), and
their ratio. Only ratios are meant to be compared across machines; nothing is asserted.

    .venv/bin/python bench/intake.py [--n 200] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a plain script, Python puts bench/ on the path, not the repo root the packages live in.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.channels.terminal import TerminalChannel  # noqa: E402
from bot.settings import Settings  # noqa: E402
from core.clock import SimClock  # noqa: E402
from core.dialog import Attachment, EventKind, Incoming  # noqa: E402
from core.geo import GeoPoint  # noqa: E402
from storage.database import make_engine, upgrade  # noqa: E402
from storage.tables import TicketRow  # noqa: E402

WORKERS = ("W01", "W02", "W03", "W04", "W05")
SITE = GeoPoint(31.3172, 120.7208)  # lies in MACH, where CNC-07 stands
# A weekday morning in the plant's zone (Asia/Shanghai): all tickets share one day's numbering.
START = datetime(2025, 3, 4, 1, 0, tzinfo=UTC)
BASELINE_REPEATS = 5


@dataclass(frozen=True)
class Measure:
    name: str
    count: int
    total_s: float
    samples_s: list[float]

    def line(self) -> str:
        p50, p99 = _quantile(self.samples_s, 0.50), _quantile(self.samples_s, 0.99)
        rate = self.count / self.total_s if self.total_s else float("inf")
        return (f"{self.name:<32} {self.count:>6} {self.total_s:>8.3f} {rate:>10.1f} "
                f"{p50 * 1e3:>8.2f} {p99 * 1e3:>8.2f}")


def _quantile(samples: list[float], q: float) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[round(q * 100) - 1]


def photos(n: int) -> list[bytes]:
    """N distinct JPEGs: the photo store is content-addressed, so equal bytes would be free."""
    base = Image.linear_gradient("L").resize((640, 480)).convert("RGB")
    out = []
    for i in range(n):
        base.putpixel((0, 0), (i % 256, i // 256 % 256, 128))
        buffer = io.BytesIO()
        base.save(buffer, "JPEG", quality=85)
        out.append(buffer.getvalue())
    return out


class Conversation:
    """One worker's report, event by event, pressing buttons as the terminal shows them."""

    def __init__(self, terminal: TerminalChannel, person: str, photo: bytes) -> None:
        self.terminal, self.person, self.photo = terminal, person, photo

    def events(self) -> list[Callable[[], Incoming]]:
        # Callables, not events: a button's data depends on the message delivered before it.
        p = self.person
        return [
            lambda: self._event(EventKind.COMMAND, text="/report", command="report"),
            lambda: self._event(EventKind.PHOTO,
                                attachment=Attachment(self.photo, len(self.photo), f"{p}.jpg")),
            lambda: self._press("1"),  # Photos done
            lambda: self._event(EventKind.LOCATION, location=SITE),
            lambda: self._event(EventKind.TEXT, text="CNC-07"),
            lambda: self._event(EventKind.TEXT, text="防护罩缺失，主轴外露 / guard missing"),
            lambda: self._press("1"),  # first category
            lambda: self._press("1"),  # first urgency
            lambda: self._press("1"),  # submit
        ]

    def _event(self, kind: EventKind, **fields: Any) -> Incoming:
        return Incoming("terminal", self.person, self.person, kind, **fields)

    def _press(self, choice: str) -> Incoming:
        found = self.terminal.button(self.person, choice)
        if found is None:
            raise RuntimeError(f"{self.person} has no button {choice!r}")
        handle, button = found
        return self._event(EventKind.BUTTON, button=button.data, handle=handle)


@dataclass(frozen=True)
class AppRun:
    measures: list[Measure]
    tickets: list[dict[str, Any]]
    events: int
    messages: int


async def run_app(folder: Path, n: int, profile: cProfile.Profile | None) -> AppRun:
    settings = Settings(database_url=f"sqlite:///{folder}/app.db", data_dir=folder,
                        plant_file=ROOT / "config" / "demo-plant.yaml")
    terminal = TerminalChannel(write=lambda line: None)
    app = build_app(settings, channels={"terminal": terminal}, clock=SimClock(START))
    jpegs = photos(n)
    handle_s: list[float] = []
    deliver_s: list[float] = []
    conversation_s: list[float] = []
    messages = 0
    if profile:
        profile.enable()
    for i in range(n):
        talk = Conversation(terminal, WORKERS[i % len(WORKERS)], jpegs[i])
        began = time.perf_counter()
        for make in talk.events():
            t0 = time.perf_counter()
            app.handle(make())
            t1 = time.perf_counter()
            messages += await app.worker.drain()
            t2 = time.perf_counter()
            handle_s.append(t1 - t0)
            deliver_s.append(t2 - t1)
        conversation_s.append(time.perf_counter() - began)
    if profile:
        profile.disable()
    with Session(app.engine) as session:
        tickets = [t.model_dump(exclude={"id"}) for t in session.exec(select(TicketRow))]
    app.engine.dispose()
    if len(tickets) != n:  # a stale press or a handler error: the numbers would mean nothing
        raise SystemExit(f"expected {n} tickets, the app opened {len(tickets)}")
    measures = [
        Measure("app: event handle+commit", len(handle_s), sum(handle_s), handle_s),
        Measure("app: event delivery (drain)", len(deliver_s), sum(deliver_s), deliver_s),
        Measure("app: conversation (both)", n, sum(conversation_s), conversation_s),
    ]
    return AppRun(measures, tickets, len(handle_s), messages)


def run_baseline(folder: Path, tickets: list[dict[str, Any]], repeats: int) -> Measure:
    """The median of several runs: the baseline is short, so one run is at the mercy of noise."""
    runs = [insert_tickets(folder / f"baseline-{i}.db", tickets) for i in range(repeats)]
    return sorted(runs, key=lambda m: m.total_s)[len(runs) // 2]


def insert_tickets(path: Path, tickets: list[dict[str, Any]]) -> Measure:
    """The app's tickets inserted again, one transaction each, as a floor for the app's cost."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    samples = []
    for fields in tickets:
        t0 = time.perf_counter()
        with Session(engine) as session:
            session.add(TicketRow(**fields))
            session.commit()
        samples.append(time.perf_counter() - t0)
    engine.dispose()
    return Measure("baseline: ticket insert (median)", len(samples), sum(samples), samples)


def report(baseline: Measure, run: AppRun) -> None:
    print(f"{'name':<32} {'N':>6} {'total s':>8} {'per second':>10} {'p50 ms':>8} {'p99 ms':>8}")
    for measure in (baseline, *run.measures):
        print(measure.line())
    conversation = run.measures[-1]
    ratio = (conversation.count / conversation.total_s) / (baseline.count / baseline.total_s)
    print(f"\nconversations/s ÷ baseline inserts/s: {ratio:.4f} "
          f"(one conversation costs as much as {1 / ratio:.0f} inserts)")
    print(f"events per conversation: {run.events / conversation.count:g}, "
          f"messages delivered per conversation: {run.messages / conversation.count:g}")
    print("a conversation's time is every event's handle+commit plus its delivery; "
          "setup is excluded")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="conversations (default 200)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the conversations; top functions go to stderr")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="safetyloop-bench-") as tmp:
        run = asyncio.run(run_app(Path(tmp), args.n, profile))
        baseline = run_baseline(Path(tmp), run.tickets, BASELINE_REPEATS)
    report(baseline, run)
    if profile:
        stats = pstats.Stats(profile, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()

"""Sweeper processes for the sweep tests, and the ledger they are judged by.

Each sweeper (`tests/sweeper.py`) is its own process with its own engine, as the
processes of a scaled-out plant are. What they did is read back from the database: the
audit entries and outbox rows per ticket, kind and level, which must each be one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.app import build_app
from bot.channels.terminal import TerminalChannel
from bot.settings import Settings
from core.audit import AuditEntry, first_bad_entry
from core.clock import SimClock
from storage.database import upgrade
from storage.tables import AuditRow, OutboxRow, TicketRow
from tests.bulk_tickets import NOW
from tests.sweeper import DEMO_PLANT

ROOT = Path(__file__).resolve().parents[1]
EXIT_S = 30  # from its last line to its exit: the engine disposed, nothing more


def first_start(engine: Engine, data_dir: Path) -> None:
    """The database as the first start of the app leaves it: migrated, the roster seeded.
    Sweepers started together then find that done rather than race through it."""
    upgrade(engine)
    settings = Settings(database_url="sqlite://", data_dir=data_dir, plant_file=DEMO_PLANT)
    build_app(settings, channels={"terminal": TerminalChannel(write=lambda _: None)},
              engine=engine, clock=SimClock(NOW))


def url_of(engine: Engine) -> str:
    """The engine's URL for another process, password and schema option included."""
    return engine.url.render_as_string(hide_password=False)


class Sweeper:
    """`python -m tests.sweeper` as a child process, its output read line by line."""

    def __init__(self, engine: Engine, data_dir: Path, at: datetime, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.sweeper", url_of(engine), str(data_dir),
             "--at", at.isoformat(), *extra],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )

    def said(self) -> str:
        """The next line the sweeper printed (it prints few, each when something happened)."""
        stdout: IO[str] | None = self.process.stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise AssertionError(f"the sweeper ended first: exit {self.process.wait()}")
        return line.strip()

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def done(self) -> dict[str, int]:
        """What each job of its sweep did, once it ended."""
        result: dict[str, int] = json.loads(self.said())
        assert self.process.wait(EXIT_S) == 0
        return result

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                pipe.close()


@dataclass(frozen=True)
class Ledger:
    """What the sweeps left: audit entries by (ticket, kind, level), outbox rows by what
    they say to whom about which ticket, and each ticket's rung."""

    audit: Counter[tuple[str, str, Any]]
    messages: Counter[tuple[str | None, str, str, str]]
    levels: dict[str, int]
    chain_broken_at: int | None

    @classmethod
    def read(cls, engine: Engine) -> Ledger:
        with Session(engine) as session:
            entries = [
                AuditEntry(r.seq, r.at, r.actor, r.action, r.subject, dict(r.data),
                           r.prev_hash, r.hash)
                for r in session.exec(select(AuditRow).order_by(col(AuditRow.seq)))
            ]
            outbox = list(session.exec(select(OutboxRow)))
            levels = {code: level for code, level in session.exec(
                select(TicketRow.code, TicketRow.escalation_level))}
        bad = first_bad_entry(entries)
        return cls(
            audit=Counter((e.subject, e.action, e.data.get("level")) for e in entries),
            messages=Counter((m.ticket, m.channel, m.address, str(m.payload.get("text")))
                             for m in outbox),
            levels=levels,
            chain_broken_at=bad.seq if bad else None,
        )

    def doubled(self) -> list[object]:
        """Every audit entry and message that was written more than once."""
        return [key for counts in (self.audit, self.messages)
                for key, n in counts.items() if n > 1]

    def kinds(self) -> dict[str, Counter[tuple[str, Any]]]:
        """The audit entries about each ticket, as (kind, level)."""
        found: dict[str, Counter[tuple[str, Any]]] = defaultdict(Counter)
        for (subject, action, level), n in self.audit.items():
            found[subject][(action, level)] += n
        return found

    def readers(self) -> dict[str | None, Counter[str]]:
        """Who was sent messages about each ticket, and how many each."""
        found: dict[str | None, Counter[str]] = defaultdict(Counter)
        for (ticket, _channel, address, _text), n in self.messages.items():
            found[ticket][address] += n
        return found

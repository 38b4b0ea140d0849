"""Conversations in-process: the shell's line language against the real handlers and SQLite.

The same `Shell` that `safetyloop shell` runs, without a subprocess: a line takes
milliseconds, so most conversation tests use this and a few keep the subprocess as
the end-to-end proof.

    chat = Chat(tmp_path)
    out = chat.run("W01", "/report", f"!photo {photo}")
    assert "📷" in out.of("W01")[0]
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from bot.app import App, build_app
from bot.channels.terminal import TerminalChannel
from bot.settings import Settings
from bot.shell import Shell, shell_channels
from core.clock import SimClock
from core.plant import Plant
from core.tickets import Ticket
from handlers.i18n import t
from reports.ticket_export import export_json
from tests.databases import new_database, plant_from

ROOT = Path(__file__).resolve().parents[1]
DEMO_PLANT = ROOT / "config" / "demo-plant.yaml"
# 09:00 in Suzhou on Monday 30 November 2026.
START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


@dataclass
class Said:
    """What everyone received while some lines ran, as the shell prints it."""

    lines: list[str] = field(default_factory=list)

    def of(self, person: str) -> list[str]:
        prefix = f"[{person}] "
        return [line[len(prefix):] for line in self.lines if line.startswith(prefix)]

    def text(self, person: str) -> str:
        return "\n".join(self.of(person))

    def __contains__(self, fragment: str) -> bool:
        return any(fragment in line for line in self.lines)


class Chat:
    """One plant in a temporary folder: its own SQLite database, media and simulated clock."""

    def __init__(self, home: Path, *, plant_file: Path = DEMO_PLANT,
                 start: datetime = START, plant: Plant | None = None,
                 env: Mapping[str, str] | None = None, rounds: bool = False,
                 monthly: bool = False) -> None:
        """`env` adds settings as `.env` would (`SMTP_HOST`…): the shell's other channels.

        Inspection rounds are time-driven work that tells safety staff of every day's rounds
        after `!wait`: a plant file's `inspections` count only with `rounds=True`, so a test
        of another feature hears only what its own story causes. Monthly reports
        (scheduler/monthly_jobs.py) likewise only with `monthly=True`.
        """
        self.home = home
        self._own_plant = plant
        self._rounds = rounds
        self._monthly = monthly
        self._env = dict(env or {})
        self.settings = Settings.from_env({
            "DATABASE_URL": f"sqlite:///{home / 'db.sqlite'}", "DATA_DIR": str(home / "data"),
            "PLANT_FILE": str(plant_file), **self._env,
        })
        self.clock = SimClock(start)
        self._said = Said()
        self.terminal = TerminalChannel(self._said.lines.append, files=home / "data" / "files")
        # A copy of a database migrated once: running the migrations is the slow part.
        new_database(home / "db.sqlite")
        self.app: App = build_app(
            self.settings, channels=shell_channels(self.settings, self.terminal), clock=self.clock,
            plant=_with_rounds(plant_from(plant_file) if plant is None else plant, rounds),
        )
        if not monthly:
            self.app.services.monthly = None
        self.shell = Shell(self.app, self.terminal, "W01", self.clock)
        self._loop = asyncio.new_event_loop()

    def close(self) -> None:
        self._loop.close()
        self.app.engine.dispose()

    def run(self, person: str, *lines: str) -> Said:
        """Feed lines as `person` (an `!as` line switches, as in the shell); what was said."""
        self.shell.person = person
        start = len(self._said.lines)
        for line in lines:
            self._loop.run_until_complete(self.shell.line(line))
        return Said(self._said.lines[start:])

    def deliver(self) -> Said:
        """Send what the outbox holds now (written outside a conversation); what was said."""
        start = len(self._said.lines)
        self._loop.run_until_complete(self.app.worker.drain())
        return Said(self._said.lines[start:])

    def restart(self) -> Chat:
        """A new process on the same database and media: nothing in memory survives."""
        self.close()
        return Chat(self.home, plant_file=self.settings.plant_file, start=self.clock.now(),
                    plant=self._own_plant, env=self._env, rounds=self._rounds,
                    monthly=self._monthly)

    @property
    def plant(self) -> Plant:
        return self.app.services.plant

    def ticket(self, code: str | None = None) -> Ticket:
        """A ticket by code, or the newest one."""
        with self.app.services.uow() as uow:
            found = uow.tickets.get(code) if code else max(uow.tickets.all(),
                                                            key=lambda t: t.id or 0, default=None)
        assert found is not None, f"no ticket {code or ''}"
        return found

    def records(self) -> list[dict[str, Any]]:
        """Every ticket as `safetyloop tickets export --format json` prints it."""
        with self.app.services.uow() as uow:
            return export_json(self.plant, uow.tickets.all(),
                               uow.duplicates.followers_by_ticket())

    def photo(self, name: str, colour: tuple[int, int, int],
              size: tuple[int, int] = (640, 480)) -> Path:
        path = self.home / name
        Image.new("RGB", size, colour).save(path, "JPEG")
        return path

    def report(self, person: str = "W01", *, equipment: str = "CNC-07", category: int = 2,
               urgency: int = 2, colour: tuple[int, int, int] = (200, 40, 40)) -> Ticket:
        """A whole report by the buttons, at CNC-07 by default; the ticket it opened."""
        photo = self.photo(f"{person}-{colour}.jpg", colour)
        said = self.run(person, "/report", f"!photo {photo}", "!press 1",
                        "!location 31.3172 120.7208 12", equipment, "主轴防护罩破损，铁屑飞溅",
                        f"!press {category}", f"!press {urgency}", "!press 1")
        if any(msg(lang, "button.file_anyway") in said.text(person) for lang in ("zh-CN", "en")):
            self.run(person, "!press 2")  # it looks like an open ticket: file it anyway
        return self.ticket()


def _with_rounds(plant: Plant, rounds: bool) -> Plant:
    return plant if rounds else replace(plant, inspections=None)


def msg(lang: str, key: str, **values: object) -> str:
    """A catalog message, for tests that name messages by key rather than by wording."""
    return t(lang, key, **values)


def msg_until(lang: str, key: str, field: str, **values: object) -> str:
    """A catalog message up to where `field` goes, for a value the test does not pin down."""
    marker = "\x00"
    return msg(lang, key, **{**values, field: marker}).partition(marker)[0]

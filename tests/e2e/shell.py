"""Drive `safetyloop shell` as a user would: a subprocess fed a script on standard input.

A process costs seconds, so only the end-to-end proofs of the real command line use
this; the steps around them (setting a scene, reading the tickets) run in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PIL import Image

from bot.cli import main
from tests.chat import Chat

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Plant:
    """A sandbox: its own database and media folder, the demo plant; `settings` are more
    variables for the process, as `.env` would give them (`SMTP_HOST`…)."""

    home: Path
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        ours = ("SAFETYLOOP_", "TELEGRAM_", "WECOM_", "SMTP_")
        env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
        env.update(
            SAFETYLOOP_DATABASE_URL=f"sqlite:///{self.home / 'db.sqlite'}",
            SAFETYLOOP_DATA_DIR=str(self.home / "data"),
            SAFETYLOOP_PLANT_FILE=str(ROOT / "config" / "demo-plant.yaml"),
            PYTHONPATH=str(ROOT),
        )
        env.update(self.settings)
        return env

    def cli(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True,
            text=True, env=self.env, cwd=self.home, timeout=120, check=False,
        )

    def shell(
        self, person: str, script: str, *, sim: bool = True
    ) -> subprocess.CompletedProcess[str]:
        args = ["shell", "--as", person] + (["--clock", "sim"] if sim else [])
        return self.cli(*args, stdin=script)

    def tickets(self) -> list[dict[str, Any]]:
        """`safetyloop tickets export --format json`, run in this process."""
        out = self.home / "tickets.json"
        env = self.env
        code = main(["tickets", "export", "--format", "json", "--out", str(out),
                     "--database", env["SAFETYLOOP_DATABASE_URL"],
                     "--config", env["SAFETYLOOP_PLANT_FILE"]])
        assert code == 0
        result: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
        return result

    def chat(self) -> Chat:
        """This plant in this process, its clock starting now as `--clock sim` does."""
        return Chat(self.home, start=datetime.now(UTC))

    def photo(
        self, name: str, colour: tuple[int, int, int], size: tuple[int, int] = (640, 480)
    ) -> Path:
        path = self.home / name
        Image.new("RGB", size, colour).save(path, "JPEG")
        return path


def lines_for(output: str, person: str) -> list[str]:
    prefix = f"[{person}] "
    return [line[len(prefix):] for line in output.splitlines() if line.startswith(prefix)]

"""The README's shell walkthroughs run as written, from the repository root, on a fresh plant."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SAFETYLOOP = ROOT / ".venv" / "bin" / "safetyloop"


def shell_walkthroughs() -> list[tuple[int, str]]:
    """Each ```sh block that feeds `safetyloop shell` a heredoc, with its line in README.md."""
    text = README.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, found.start()) + 1, found.group(1))
        for found in re.finditer(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
        if re.search(r"safetyloop shell .*<<", found.group(1))
    ]


def sandbox(home: Path) -> dict[str, str]:
    """The caller's environment with our settings pointing into `home`, so ./data is untouched."""
    ours = ("SAFETYLOOP_", "TELEGRAM_", "WECOM_", "SMTP_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    env.update(
        SAFETYLOOP_DATABASE_URL=f"sqlite:///{home / 'db.sqlite'}",
        SAFETYLOOP_DATA_DIR=str(home / "data"),
        SAFETYLOOP_PLANT_FILE="config/demo-plant.yaml",
    )
    return env


def exported_tickets(stdout: str) -> list[dict[str, Any]]:
    """The JSON array `tickets export` printed among the chat lines (`[W01] …`)."""
    start = re.search(r"^\[(\n|\]$)", stdout, re.MULTILINE)
    assert start, f"no `tickets export --format json` output in:\n{stdout}"
    tickets, _ = json.JSONDecoder().raw_decode(stdout, start.start())
    assert isinstance(tickets, list)
    return tickets


def test_the_readme_has_a_shell_walkthrough_to_run() -> None:
    assert shell_walkthroughs(), "README.md lost its ```sh block with `safetyloop shell <<'EOF'`"


@pytest.mark.parametrize(
    "script", [script for _, script in shell_walkthroughs()],
    ids=[f"README.md line {line}" for line, _ in shell_walkthroughs()],
)
def test_a_readme_walkthrough_runs_as_written_and_closes_the_loop(
    script: str, tmp_path: Path
) -> None:
    assert SAFETYLOOP.exists(), (
        f"{SAFETYLOOP.relative_to(ROOT)} is missing: the README's walkthrough calls it. "
        "Build the virtual environment first with `make test` (or `make run`)."
    )
    # -e: a failing step stops the walkthrough, as a reader would stop, instead of being
    # hidden by the exit status of the commands after it.
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=ROOT, env=sandbox(tmp_path), capture_output=True,
        text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    tickets = exported_tickets(done.stdout)
    assert tickets, "the walkthrough opened no ticket"
    for ticket in tickets:
        assert (ticket["status"], ticket["validity"]) == ("closed", "valid"), ticket
        assert ticket["after_photo"] and ticket["after_photo"] not in ticket["photos"]
    assert re.search(r"^audit log intact: \d+ entries$", done.stdout, re.MULTILINE), done.stdout
    assert any((tmp_path / "data" / "media").rglob("*")), "photos went elsewhere than the sandbox"

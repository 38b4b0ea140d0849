"""`safetyloop run` as a real process against the fake servers, to be killed at will."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO

from tests.fakes import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123:ABC"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def bot_process(
    tmp_path: Path, tg: FakeTelegram, database_url: str, log: IO[bytes],
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`safetyloop run` as production starts it, pointed at the fake Bot API."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SAFETYLOOP_DATABASE_URL": database_url,
        "SAFETYLOOP_DATA_DIR": str(tmp_path / "data"),
        "SAFETYLOOP_PLANT_FILE": str(ROOT / "config" / "demo-plant.yaml"),
        "SAFETYLOOP_HTTP_PORT": str(free_port()),
        "SAFETYLOOP_SWEEP_INTERVAL_S": "3600",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": tg.root,
        "TELEGRAM_POLL_TIMEOUT_S": "1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
        stdout=log, stderr=log,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                os.kill(process.pid, signal.SIGKILL)
                await process.wait()


async def kill(process: asyncio.subprocess.Process) -> None:
    """SIGKILL by PID: no clean-up of any kind runs."""
    os.kill(process.pid, signal.SIGKILL)
    assert await asyncio.wait_for(process.wait(), 10) == -signal.SIGKILL

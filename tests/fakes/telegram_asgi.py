"""Serve an ASGI app with uvicorn inside the test's event loop on a free 127.0.0.1 port."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator
from typing import Any

import uvicorn
from starlette.types import ASGIApp


class LocalAsgiServer:
    """Start/stop uvicorn quickly (no 0.1 s ticks, no signal capture) for one ASGI app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.port = 0
        self._server: _Server | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def root(self) -> str:
        """e.g. "http://127.0.0.1:PORT"."""
        if not self.port:
            raise RuntimeError("server is not running")
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on a free port and return once connections are accepted."""
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=0,
            loop="none",
            http="h11",
            ws="none",
            lifespan="off",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        server = _Server(config)
        self._server = server
        self._task = asyncio.create_task(server.serve(), name="local-asgi-server")
        ready = asyncio.create_task(server.ready.wait())
        await asyncio.wait({ready, self._task}, return_when=asyncio.FIRST_COMPLETED)
        if not server.ready.is_set():
            ready.cancel()
            await self._task  # re-raises the startup failure
            raise RuntimeError("local ASGI server failed to start")
        self.port = server.servers[0].sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Shut down; open requests get up to 2 s before they are cancelled."""
        server, task = self._server, self._task
        if server is None or task is None:
            return
        server.should_exit = True
        server.exit_now.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=3)
        except TimeoutError:
            server.force_exit = True
            await task
        self._server = self._task = None
        self.port = 0

    async def __aenter__(self) -> LocalAsgiServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


class _Server(uvicorn.Server):
    """uvicorn without signal capture and with event-driven ready/exit."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()
        self.exit_now = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The test process owns SIGINT/SIGTERM; uvicorn must not swallow them.
        yield

    async def startup(self, sockets: list[Any] | None = None) -> None:
        await super().startup(sockets=sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        # Wait for stop() instead of uvicorn's 0.1 s ticks, so stopping is immediate.
        await self.on_tick(0)
        await self.exit_now.wait()

"""`safetyloop run`: every configured channel, the web endpoints, the delivery worker and
the scheduler in one asyncio process."""

from __future__ import annotations

import asyncio
import importlib
import logging

import uvicorn
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import App, build_app
from bot.channels import CHANNELS
from bot.channels.base import ChannelPlugin
from bot.settings import Settings
from bot.web import build_web
from scheduler import jobs

log = logging.getLogger(__name__)


def configured_plugins(settings: Settings) -> list[ChannelPlugin]:
    """Every registered channel that is configured in the settings."""
    plugins = []
    for name in CHANNELS:
        package = importlib.import_module(f"bot.channels.{name}")
        if (made := package.plugin(settings)) is not None:
            plugins.append(made)
    return plugins


def sweep(app: App) -> None:
    """Run the timed jobs; a late or failed run is simply caught up by the next one."""
    try:
        if jobs.run_all(app.services):
            app.worker.wake()
    except Exception:
        log.exception("scheduled sweep failed")


async def sweep_off_loop(app: App) -> None:
    """The sweep in a worker thread: its transactions leave the event loop to the channels."""
    try:
        wrote = await asyncio.to_thread(jobs.run_all, app.services)
    except Exception:
        log.exception("scheduled sweep failed")
        return
    if wrote:
        app.worker.wake()  # on the loop: the worker's event is not thread-safe


async def serve(settings: Settings) -> int:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(message)s")
    # httpx logs every request URL at INFO, and the platforms put secrets in URLs
    # (the Bot API token, WeCom's corpsecret and access_token).
    logging.getLogger("httpx").setLevel(logging.WARNING)
    plugins = configured_plugins(settings)
    if not plugins:
        log.error("no channel configured: set TELEGRAM_BOT_TOKEN or WECOM_* in .env "
                  "(or try `safetyloop shell --as W01`)")
        return 1
    app = build_app(settings, channels={p.channel.name: p.channel for p in plugins})
    await sweep_off_loop(app)  # catch up on whatever fell due while the process was down
    scheduler = AsyncIOScheduler()
    scheduler.add_job(sweep_off_loop, "interval", seconds=settings.sweep_interval_s, args=[app],
                      max_instances=1, coalesce=True)
    scheduler.start()
    web = uvicorn.Server(uvicorn.Config(
        build_web([route for p in plugins for route in p.routes]),
        host=settings.http_host, port=settings.http_port, log_level="warning",
    ))
    worker = asyncio.create_task(app.worker.run())
    for plugin in plugins:
        await plugin.start(app.inlet)
    try:
        await web.serve()
    finally:
        for plugin in plugins:
            await plugin.stop()
        worker.cancel()
        scheduler.shutdown(wait=False)
    return 0

"""A SafetyLoop app wired to the fake WeCom server through the real WeCom plugin, for e2e tests.

Callbacks are encrypted with real keys and POSTed to the real Starlette app; the plugin's
API client talks to FakeWecom over real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import itertools
import secrets
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from PIL import Image
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel, col
from starlette.routing import BaseRoute

from bot.app import App, build_app
from bot.channels.wecom.service import WecomPlugin
from bot.settings import Settings
from bot.web import build_web
from bot.wecom_setup import setup
from core.clock import SimClock
from storage.tables import AuditRow
from tests.databases import new_database, plant_from
from tests.fakes.wecom_server import FakeWecom, Sent, make_callback, template_card_event_xml

ROOT = Path(__file__).resolve().parents[2]
CORP, SECRET, AGENT, TOKEN = "wwfactory01", "app-secret-xyz", 1000002, "cbToken42"
START = datetime(2026, 11, 29, 0, 10, tzinfo=UTC)  # 08:10 in the plant's time zone

# People of the demo plant and their WeCom user ids.
W01, TL_MECH, DH_EQUIP, SO1 = "maxiaodong", "zhoujie", "zhangwei", "lina"


def jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def aes_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")


def words(sent: Sent) -> str:
    """Everything a person reads in one message: text, or a card's title, text and buttons."""
    body = sent.payload.get(sent.msgtype, {})
    if sent.msgtype in ("text", "markdown"):
        return str(body.get("content", ""))
    if sent.msgtype == "template_card":
        buttons = " ".join(f"[{b['text']}]" for b in body.get("button_list", []))
        title = body.get("main_title", {}).get("title", "")
        return "\n".join(x for x in (title, body.get("sub_title_text", ""), buttons) if x)
    return f"<{sent.msgtype}>"


@dataclass
class Rig:
    fake: FakeWecom
    app: App
    plugin: WecomPlugin
    clock: SimClock
    http: httpx.AsyncClient
    aes_key: str
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> int:
        return next(self._ids)

    def head(self) -> dict[str, Any]:
        """Envelope fields for a builder: a fresh CreateTime, as each real event has."""
        return {"create_time": 1_790_000_000 + self.next_id(), "corp_id": CORP,
                "agent_id": AGENT}

    def encrypt(self, xml: str, *, timestamp: int | None = None) -> tuple[str, bytes]:
        stamp = int(time.time()) if timestamp is None else timestamp
        return make_callback(TOKEN, self.aes_key, CORP, xml, stamp, secrets.token_hex(5),
                             agent_id=AGENT)

    async def post(self, xml: str, *, timestamp: int | None = None) -> httpx.Response:
        query, body = self.encrypt(xml, timestamp=timestamp)
        return await self.http.post(f"/wecom/callback?{query}", content=body)

    async def settle(self) -> None:
        """Process every stored callback, then deliver everything due."""
        assert self.plugin.inbox is not None
        await self.plugin.inbox.drain()
        await self.app.worker.drain()

    async def say(self, xml: str) -> None:
        """A callback as WeCom sends it, answered with an empty 200, then processed."""
        response = await self.post(xml)
        assert (response.status_code, response.content) == (200, b"")
        await self.settle()

    def seen(self, user: str) -> list[str]:
        return [words(s) for s in self.fake.sent[user]]

    def last_card(self, user: str, label: str) -> dict[str, Any]:
        for sent in reversed(self.fake.sent[user]):
            card: dict[str, Any] = sent.payload.get("template_card", {})
            if any(b["text"] == label for b in card.get("button_list", [])):
                return card
        raise AssertionError(f"{user} has no card with {label!r}: {self.seen(user)}")

    def press_xml(self, user: str, label: str) -> tuple[str, str]:
        """(callback XML, its ResponseCode) of `user` pressing `label` on their latest card."""
        card = self.last_card(user, label)
        key = next(b["key"] for b in card["button_list"] if b["text"] == label)
        code = self.fake.issue_response_code()
        xml = template_card_event_xml(user, key, card["task_id"], code, **self.head())
        return xml, code

    async def press(self, user: str, label: str) -> str:
        xml, code = self.press_xml(user, label)
        await self.say(xml)
        return code

    def counts(self) -> dict[str, int]:
        """Rows in every table: what a refused callback must leave alone."""
        with Session(self.app.engine) as session:
            return {
                table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for table in SQLModel.metadata.sorted_tables
            }

    def audit(self, action: str) -> list[AuditRow]:
        with Session(self.app.engine) as session:
            query = select(AuditRow).where(col(AuditRow.action) == action)
            return list(session.execute(query).scalars())


def photo_sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings_for(tmp_path: Path, base_url: str, key: str, **extra: Any) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/t.db", data_dir=tmp_path,
        plant_file=ROOT / "config" / "demo-plant.yaml",
        wecom_corp_id=CORP, wecom_agent_id=AGENT, wecom_secret=SecretStr(SECRET),
        wecom_token=SecretStr(TOKEN), wecom_aes_key=SecretStr(key),
        wecom_api_base_url=base_url, **extra,
    )


@asynccontextmanager
async def rig(
    tmp_path: Path, *, fake: FakeWecom | None = None, key: str | None = None,
    groups: bool = True, **settings: Any,
) -> AsyncIterator[Rig]:
    """The app with only the WeCom channel; `groups` runs `wecom setup` first."""
    async with _fake(fake) as server:
        key = key or aes_key()
        config = settings_for(tmp_path, server.base_url, key, **settings)
        plugin = WecomPlugin(config)
        clock = SimClock(START)
        new_database(tmp_path / "t.db")
        app = build_app(config, channels={"wecom": plugin.channel}, clock=clock,
                        plant=plant_from(config.plant_file))
        plugin.attach(app.inlet)
        transport = httpx.ASGITransport(app=build_web(plugin.routes))
        async with httpx.AsyncClient(transport=transport, base_url="http://wecom.test") as http:
            if groups:
                lines, ok = await setup(plugin.api, app.services.plant)
                assert ok, lines
            try:
                yield Rig(server, app, plugin, clock, http, key)
            finally:
                await plugin.stop()


@asynccontextmanager
async def _fake(fake: FakeWecom | None) -> AsyncIterator[FakeWecom]:
    if fake is not None:
        yield fake
        return
    async with FakeWecom(CORP, SECRET, AGENT) as server:
        yield server


@asynccontextmanager
async def serve(routes: list[BaseRoute]) -> AsyncIterator[str]:
    """`safetyloop run`'s web app under uvicorn on a free 127.0.0.1 port; yields its URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(build_web(routes), log_level="warning", lifespan="off", ws="none",
                            access_log=False)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        await until(lambda: server.started or task.done())
        if task.done():
            await task
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


async def until(condition: Callable[[], bool | Awaitable[bool]], within_s: float = 10.0) -> None:
    """Wait for a condition to hold, polling; fail after `within_s` seconds."""
    async with asyncio.timeout(within_s):
        while True:
            result = condition()
            if result if isinstance(result, bool) else await result:
                return
            await asyncio.sleep(0.01)

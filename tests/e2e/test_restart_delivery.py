"""The real process killed by SIGKILL while its sends are in flight, then started again:
its chats hear from it within seconds, each message once, in order."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core.messages import OutMessage
from storage.database import make_engine, upgrade
from storage.outbox_queue import LEASE
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork
from tests.e2e.bot_process import TOKEN, bot_process
from tests.fakes import FakeTelegram

CHATS = [700001 + n for n in range(10)]
PER_CHAT = 3
# Well inside one lease: a restart that waits for the dead run's leases to run out fails.
FIRST_SEND_WITHIN_S = LEASE.total_seconds() / 3


class HoldingTelegram(FakeTelegram):
    """The fake Bot API, able to keep sendMessage calls hanging as a stalled network would."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.holding = False
        self.held = 0
        self._release = asyncio.Event()
        self.first_call_at: float | None = None
        self.sent_at: list[float] = []

    def release(self) -> None:
        """Let held calls end; they never reached Telegram, so they answer 502."""
        self.holding = False
        self._release.set()

    async def _handle(self, request: Request) -> Response:
        is_send = request.url.path.endswith("/sendMessage")
        if self.first_call_at is None:
            self.first_call_at = time.monotonic()
        if is_send and self.holding:
            self.held += 1
            self.notify()
            await self._release.wait()
            return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"},
                                status_code=502)
        response = await super()._handle(request)
        if is_send and response.status_code == 200:
            self.sent_at.append(time.monotonic())
        return response


def queue_messages(database_url: str) -> None:
    """What the process has to say when it starts: PER_CHAT messages to each chat."""
    engine = make_engine(database_url)
    upgrade(engine)
    with SqlUnitOfWork(engine) as uow:
        for n in range(PER_CHAT):
            for chat in CHATS:
                uow.outbox.put(OutMessage(channel="telegram", address=str(chat),
                                          text=f"{chat} #{n}"), datetime.now(UTC))
        uow.commit()
    engine.dispose()


def outbox(database_url: str) -> list[OutboxRow]:
    """The rows queued for the test's chats (the demo plant's own jobs may write others)."""
    engine = make_engine(database_url)
    addresses = [str(chat) for chat in CHATS]
    try:
        with Session(engine) as session:
            query = select(OutboxRow).where(col(OutboxRow.address).in_(addresses))
            return list(session.exec(query.order_by(col(OutboxRow.id))))
    finally:
        engine.dispose()


async def test_a_process_killed_mid_send_is_heard_from_within_seconds_after_a_restart(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'safetyloop.db'}"
    queue_messages(database_url)
    log_path = tmp_path / "bot.log"
    async with HoldingTelegram() as tg:
        for chat in CHATS:
            tg.private_chat(tg.user(chat, f"Worker {chat}"))
        tg.holding = True
        with log_path.open("ab") as log:
            async with bot_process(tmp_path, tg, database_url, log) as first:
                await tg.wait_for(lambda: tg.held >= 1, timeout=60, what="a send in flight")
                await tg.wait_for(
                    lambda: sum(r.status == "sending" for r in outbox(database_url)) == len(CHATS),
                    timeout=30, what="every chat's first message leased",
                )
                os.kill(first.pid, signal.SIGKILL)
                assert await asyncio.wait_for(first.wait(), 10) == -signal.SIGKILL
            leased = [r for r in outbox(database_url) if r.status == "sending"]
            assert len(leased) == len(CHATS) and tg.sent_at == []
            tg.release()
            tg.first_call_at = None
            async with bot_process(tmp_path, tg, database_url, log):
                await tg.wait_for(lambda: len(tg.sent_at) == len(CHATS) * PER_CHAT,
                                  timeout=90, what="every message sent")
                await tg.wait_for(
                    lambda: all(r.status == "sent" for r in outbox(database_url)),
                    timeout=30, what="every message marked sent",
                )
                restarted_at = tg.first_call_at
                assert restarted_at is not None
    first_send_s = tg.sent_at[0] - restarted_at
    assert first_send_s < FIRST_SEND_WITHIN_S, (first_send_s, log_path.read_text())
    for chat in CHATS:  # each once, in order: the calls in flight at the kill never arrived
        assert [m["text"] for m in tg.sent(chat)] == [f"{chat} #{n}" for n in range(PER_CHAT)]
    assert len(tg.sent_at) == len(CHATS) * PER_CHAT

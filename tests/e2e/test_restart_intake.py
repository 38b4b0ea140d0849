"""The real process killed by SIGKILL right after it fetched a batch of photos, then started
again: every photo is stored and every report goes on, though Telegram will not send the
batch twice."""

from __future__ import annotations

import asyncio
import hashlib
import io
import time
from pathlib import Path

from PIL import Image
from starlette.requests import Request
from starlette.responses import Response

from bot.plantfile import read_plant
from storage.database import make_engine
from storage.inbound_queue import SqlInboundQueue
from storage.photos import FilePhotoStore
from tests.e2e.bot_process import ROOT, TOKEN, bot_process, kill
from tests.fakes import FakeChat, FakeTelegram, FakeUser

PHOTOS_EACH = 5  # a report takes five photos, then asks where
# Telegram hands out at most 100 updates a fetch: one batch of photos is 100 of them.
REPORTERS = 100 // PHOTOS_EACH


class SlowFiles(FakeTelegram):
    """The fake Bot API, able to keep file downloads hanging as a slow network would."""

    def __init__(self) -> None:
        super().__init__(token=TOKEN)
        self.holding = False
        self.held = 0
        self._release = asyncio.Event()

    def release(self) -> None:
        self.holding = False
        self._release.set()

    async def _handle(self, request: Request) -> Response:
        if request.url.path.startswith("/file/") and self.holding:
            self.held += 1
            self.notify()
            await self._release.wait()
            return Response(status_code=502)  # its caller is dead by now
        return await super()._handle(request)


def photo(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (n, 255 - n, (n * 37) % 256)).save(out, "JPEG")
    return out.getvalue()


def reporters(tg: FakeTelegram) -> list[tuple[FakeUser, FakeChat]]:
    """The first `REPORTERS` of the demo plant with a Telegram account, in a DM with the bot."""
    plant = read_plant(ROOT / "config" / "demo-plant.yaml")
    people = [p for p in plant.people if "telegram" in p.accounts][:REPORTERS]
    return [(user, tg.private_chat(user))
            for user in (tg.user(int(p.accounts["telegram"]), p.name) for p in people)]


def said(tg: FakeTelegram, chat: FakeChat, fragment: str) -> bool:
    return any(fragment in (m.get("text") or m.get("caption") or "") for m in tg.sent(chat.id))


async def test_photos_fetched_just_before_a_kill_are_all_stored_after_the_restart(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'safetyloop.db'}"
    log_path = tmp_path / "bot.log"
    async with SlowFiles() as tg:
        people = reporters(tg)
        images = [photo(n) for n in range(len(people) * PHOTOS_EACH)]
        with log_path.open("ab") as log:
            async with bot_process(tmp_path, tg, database_url, log) as first:
                for user, chat in people:
                    tg.send_text(user, chat, "/report")
                await tg.wait_for(lambda: all(said(tg, chat, "📷") for _, chat in people),
                                  timeout=60, what="every report asking for photos")
                tg.holding = True
                photo_updates = {
                    tg.send_photo(user, chat, images[i * PHOTOS_EACH + k])["update_id"]
                    for i, (user, chat) in enumerate(people) for k in range(PHOTOS_EACH)
                }
                # Telegram holds an update until a later getUpdates confirms it: the moment
                # all are confirmed and a download hangs is "right after the fetch".
                await tg.wait_for(
                    lambda: tg.held >= 1 and not photo_updates & {
                        u["update_id"] for u in tg.pending_updates},
                    timeout=30, what="the photo batch fetched and confirmed",
                )
                await kill(first)
            engine = make_engine(database_url)
            kept = len(SqlInboundQueue(engine).pending("telegram"))
            engine.dispose()
            tg.release()
            started = time.monotonic()
            async with bot_process(tmp_path, tg, database_url, log):
                store = FilePhotoStore(tmp_path / "data" / "media")
                shas = [hashlib.sha256(image).hexdigest() for image in images]
                await tg.wait_for(
                    lambda: all(said(tg, chat, "📍") for _, chat in people)
                    or time.monotonic() - started > 90,
                    timeout=120, what="every report asking where",
                )
                stored = [sha for sha in shas if store.exists(sha)]
                going_on = [chat.id for _, chat in people if said(tg, chat, "📍")]
    assert len(stored) == len(images), log_path.read_text()[-3000:]
    assert len(going_on) == len(people)
    assert kept == len(images)                          # kept before Telegram was told

"""The inlet channels hand events to: transactions and photo decoding off the event loop,
each chat's events in order, other chats not held up."""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlmodel import Session, col, select

from bot.app import App, build_app
from bot.channels.terminal import TerminalChannel
from bot.settings import Settings
from core.dialog import Attachment, EventKind, Incoming
from handlers.i18n import t
from storage.tables import OutboxRow
from tests.chat import DEMO_PLANT


def big_photo() -> bytes:
    """A camera-sized photo of noise: a few tenths of a second to decode and store."""
    image = Image.frombytes("RGB", (3000, 2000), os.urandom(3000 * 2000 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def event(person: str, kind: EventKind, **fields: object) -> Incoming:
    return Incoming("terminal", person, person, kind, **fields)  # type: ignore[arg-type]


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[tuple[App, list[str]]]:
    said: list[str] = []
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
                        data_dir=tmp_path / "data", plant_file=DEMO_PLANT)
    made = build_app(settings, channels={"terminal": TerminalChannel(said.append)})
    yield made, said
    made.engine.dispose()


def edits(made: App) -> list[dict[str, Any]]:
    with Session(made.engine) as session:
        rows = session.exec(select(OutboxRow).order_by(col(OutboxRow.id)))
        return [row.payload for row in rows if row.payload.get("edit")]


async def test_storing_a_big_photo_leaves_the_event_loop_free(
    app: tuple[App, list[str]],
) -> None:
    made, _ = app
    await made.inlet.handle(event("W01", EventKind.COMMAND, text="/report", command="report"))
    data = big_photo()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    await made.inlet.handle(event("W01", EventKind.PHOTO,
                                  attachment=Attachment(data, len(data), "big.jpg")))
    ticking.cancel()
    assert ticks >= 5, "the loop ran other work while the photo was decoded and stored"
    assert made.services.photos.exists(hashlib.sha256(data).hexdigest())


async def test_a_chats_events_are_handled_in_the_order_handed_in(
    app: tuple[App, list[str]],
) -> None:
    made, said = app
    await made.inlet.handle(event("W01", EventKind.COMMAND, text="/report", command="report"))
    data = big_photo()
    # The slow photo first, the quick "done" right behind it, both in flight at once.
    await asyncio.gather(
        made.inlet.handle(event("W01", EventKind.PHOTO,
                                attachment=Attachment(data, len(data), "big.jpg"))),
        made.inlet.handle(event("W01", EventKind.TEXT, text="完成")),
    )
    await made.worker.drain()
    heard = "\n".join(line for line in said if line.startswith("[W01]"))
    received = heard.find(t("zh-CN", "report.photo_received", count=1))
    asked_where = heard.find(t("zh-CN", "report.ask_location").splitlines()[0])
    assert 0 <= received < asked_where
    assert t("zh-CN", "report.photo_needed") not in heard


async def test_a_slow_photo_in_one_chat_does_not_hold_up_another(
    app: tuple[App, list[str]],
) -> None:
    made, _ = app
    await made.inlet.handle(event("W01", EventKind.COMMAND, text="/report", command="report"))
    data = big_photo()
    finished: list[str] = []

    async def handle(person: str, incoming: Incoming) -> None:
        await made.inlet.handle(incoming)
        finished.append(person)

    await asyncio.gather(
        handle("W01", event("W01", EventKind.PHOTO,
                            attachment=Attachment(data, len(data), "big.jpg"))),
        handle("W02", event("W02", EventKind.COMMAND, text="/points", command="points")),
    )
    assert finished == ["W02", "W01"]
    assert len(made.inlet.chats) == 0                  # no lock kept for chats gone quiet


async def test_a_pressed_question_is_marked_with_the_choice_even_when_the_channel_gave_no_label(
    app: tuple[App, list[str]],
) -> None:
    made, _ = app
    await made.inlet.handle(event("W01", EventKind.COMMAND, text="/report", command="report"))
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    await made.inlet.handle(event("W01", EventKind.PHOTO,
                                  attachment=Attachment(out.getvalue(), out.tell(), "a.jpg")))
    await made.worker.drain()
    terminal = made.worker.channels["terminal"]
    assert isinstance(terminal, TerminalChannel)
    handle, (done,) = terminal.last_buttons["W01"]
    await made.inlet.handle(event("W01", EventKind.BUTTON, button=done.data, handle=handle))
    [stamp] = edits(made)
    assert stamp["edit"] == handle and stamp["text"] == ""
    assert [b["label"] for b in stamp["buttons"]] == [f"✓ {done.label}"]

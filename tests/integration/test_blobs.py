"""Files of any kind kept by content, and handed to the channel with the message at delivery."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.delivery import DeliveryWorker
from core.clock import SimClock
from core.messages import OutMessage
from storage.blobs import FileBlobStore
from storage.database import make_engine, upgrade
from storage.outbox_queue import SqlOutboxQueue
from storage.photos import FilePhotoStore
from storage.tables import OutboxRow
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RecordingChannel:
    name = "terminal"

    def __init__(self) -> None:
        self.got: list[tuple[OutMessage, bytes | None]] = []

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str | None:
        self.got.append((message, attachment))
        return None


def test_the_same_bytes_are_kept_once_under_their_sha256(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    first = store.put(b"%PDF-1.4 report", name="report.pdf")
    again = store.put(b"%PDF-1.4 report", name="copy.pdf")
    assert first.key == again.key and len(first.key) == 64
    assert (first.name, first.mime, first.size) == ("report.pdf", "application/pdf", 15)
    assert again.name == "copy.pdf", "the name travels with the message, not with the bytes"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [first.key]
    assert store.read(first.key) == b"%PDF-1.4 report"


@pytest.mark.parametrize(("name", "mime"), [
    ("台账.xlsx", XLSX), ("before-after.PNG", "image/png"), ("notes", "application/octet-stream"),
])
def test_the_type_is_guessed_from_the_name_unless_given(
    name: str, mime: str, tmp_path: Path,
) -> None:
    store = FileBlobStore(tmp_path)
    assert store.put(b"data", name=name).mime == mime
    assert store.put(b"data", name=name, mime="text/plain").mime == "text/plain"


def test_a_key_that_is_not_a_sha256_is_refused_and_a_missing_file_is_not_found(
    tmp_path: Path,
) -> None:
    store = FileBlobStore(tmp_path)
    with pytest.raises(ValueError):
        store.read("../" * 21 + "etc/passwd")
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64)


async def test_the_worker_hands_the_file_to_the_channel_and_gives_up_on_a_lost_one(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    upgrade(engine)
    blobs = FileBlobStore(tmp_path / "blobs")
    kept = blobs.put(b"%PDF-1.4 kept", name="kept.pdf")
    lost = FileBlobStore(tmp_path / "elsewhere").put(b"%PDF-1.4 lost", name="lost.pdf")
    with SqlUnitOfWork(engine) as uow:
        uow.outbox.put(OutMessage("terminal", "SM", "kept", attachment=kept), T0)
        uow.outbox.put(OutMessage("terminal", "SO1", "lost", attachment=lost), T0)
        uow.commit()
    channel = RecordingChannel()
    worker = DeliveryWorker(SqlOutboxQueue(engine), {"terminal": channel}, SimClock(T0),
                            FilePhotoStore(tmp_path / "media"), blobs=blobs)
    assert await worker.drain() == 1
    assert channel.got == [(OutMessage("terminal", "SM", "kept", attachment=kept),
                            b"%PDF-1.4 kept")]
    with Session(engine) as session:
        statuses = {row.address: row.status for row in session.exec(select(OutboxRow))}
    assert statuses == {"SM": "sent", "SO1": "dead"}
    engine.dispose()

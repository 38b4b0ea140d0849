"""Before/after pictures drawn at delivery: queued as a recipe, drawn once, off the loop."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine

from bot.pictures import PictureDrawer
from core.messages import OutMessage
from core.photos import StoredPhoto
from core.pictures import BeforeAfter
from storage.outbox_queue import SqlOutboxQueue
from storage.photos import FilePhotoStore
from storage.uow import SqlUnitOfWork

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


class WatchedStore(FilePhotoStore):
    """The real photo store, noting the thread of every `store` call."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.threads: list[int] = []

    def store(self, data: bytes) -> StoredPhoto:
        self.threads.append(threading.get_ident())
        return super().store(data)


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "JPEG")
    return out.getvalue()


def recipe(photos: FilePhotoStore) -> BeforeAfter:
    before = photos.store(jpeg((200, 40, 40))).sha256
    after = photos.store(jpeg((40, 200, 40))).sha256
    return BeforeAfter(before, after, ("整改前", "整改后"), "HZ-261128-0001")


def test_a_picture_asked_for_by_three_recipients_at_once_is_drawn_once_off_the_loop(
    tmp_path: Path,
) -> None:
    photos = WatchedStore(tmp_path)
    picture = recipe(photos)
    photos.threads.clear()
    drawer = PictureDrawer(photos)

    async def three() -> list[str | None]:
        return list(await asyncio.gather(*(drawer.image(picture) for _ in range(3))))

    loop_thread = threading.get_ident()  # asyncio.run drives the loop on this thread
    shas = asyncio.run(three())
    assert len(set(shas)) == 1 and shas[0] is not None and photos.exists(shas[0])
    assert len(photos.threads) == 1 and photos.threads[0] != loop_thread
    assert asyncio.run(drawer.image(picture)) == shas[0]  # remembered: not drawn again
    assert len(photos.threads) == 1


def test_drawing_the_same_recipe_again_gives_the_same_stored_picture(tmp_path: Path) -> None:
    photos = FilePhotoStore(tmp_path)
    picture = recipe(photos)
    first = asyncio.run(PictureDrawer(photos).image(picture))
    assert asyncio.run(PictureDrawer(photos).image(picture)) == first


def test_a_picture_whose_photo_is_gone_is_left_out_not_retried_forever(tmp_path: Path) -> None:
    photos = FilePhotoStore(tmp_path)
    picture = BeforeAfter("0" * 64, recipe(photos).after, ("", ""), "")
    assert asyncio.run(PictureDrawer(photos).image(picture)) is None


def test_the_outbox_keeps_the_recipe_for_the_worker_that_claims_the_message(
    engine: Engine,
) -> None:
    picture = BeforeAfter("a" * 64, "b" * 64, ("before 09:00", "after 15:00"), "HZ-261128-0001")
    with SqlUnitOfWork(engine) as uow:
        uow.outbox.put(OutMessage("terminal", "W01", "fixed"), T0, picture=picture)
        uow.outbox.put(OutMessage("terminal", "SO1", "plain"), T0)
        uow.commit()
    claimed = SqlOutboxQueue(engine).claim(T0)
    assert [(c.message.address, c.message.image, c.picture) for c in claimed] == [
        ("W01", None, picture), ("SO1", None, None),
    ]

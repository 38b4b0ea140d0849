"""Pictures the outbox asks for, drawn at delivery in a worker thread: never on the event
loop, never inside a database transaction, and once for all the people who receive one."""

from __future__ import annotations

import asyncio
import logging

from core.photos import PhotoRejected
from core.pictures import BarChart, BeforeAfter, Picture, Table
from core.ports import PhotoStore
from reports.before_after import before_after
from reports.ranking_chart import ranking_chart
from reports.table_image import render_table

log = logging.getLogger(__name__)

# Drawn pictures remembered; older ones are drawn again if asked, which stores nothing new.
KEEP = 64


def draw(photos: PhotoStore, picture: Picture) -> str:
    """Draw the picture into the photo store; its sha256 (the same for the same recipe)."""
    if isinstance(picture, Table):
        marks = {(row, col): style for row, col, style in picture.marks}
        drawn = render_table(picture.title, picture.headers, picture.rows, marks=marks,
                             subtitle=picture.subtitle)
    elif isinstance(picture, BarChart):
        drawn = ranking_chart(picture.title, picture.labels, picture.values,
                              mine=picture.mine, subtitle=picture.subtitle)
    else:
        drawn = before_after(photos.read(picture.before), photos.read(picture.after),
                             labels=picture.labels, title=picture.title)
    return photos.store(drawn).sha256


class PictureDrawer:
    def __init__(self, photos: PhotoStore) -> None:
        self.photos = photos
        self._drawn: dict[Picture, str] = {}
        self._drawing: dict[Picture, asyncio.Task[str]] = {}

    async def image(self, picture: Picture) -> str | None:
        """The stored picture's sha256; None if it cannot be drawn (a photo missing or
        broken), so the message still goes out, without it."""
        drawn = self._drawn.get(picture)
        if drawn is not None:
            return drawn
        task = self._drawing.get(picture)
        if task is None:
            task = asyncio.create_task(asyncio.to_thread(draw, self.photos, picture))
            self._drawing[picture] = task
            task.add_done_callback(lambda _: self._drawing.pop(picture, None))
        try:
            sha = await asyncio.shield(task)
        except (OSError, ValueError, PhotoRejected) as exc:
            log.warning("picture %s not drawn: %r", _named(picture), exc)
            return None
        self._drawn[picture] = sha
        while len(self._drawn) > KEEP:
            del self._drawn[next(iter(self._drawn))]
        return sha


def _named(picture: Picture) -> str:
    if isinstance(picture, BeforeAfter):
        return f"before/after {picture.before[:12]}/{picture.after[:12]}"
    if isinstance(picture, BarChart):
        return f"bar chart {picture.title[:40]!r}"
    return f"table {picture.title[:40]!r}"

"""Pictures the delivery worker draws: the outbox keeps what to draw, not the pixels, so no
image is rendered inside a database transaction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BeforeAfter:
    """A fixed ticket's first photo and after photo side by side (stored photos by sha256),
    with the labels and title already in the readers' language."""

    before: str
    after: str
    labels: tuple[str, str]
    title: str


@dataclass(frozen=True)
class Table:
    """A table drawn as a PNG (the joint board), its texts already in the reader's language;
    each mark names a style (late, done, waiting, due soon) for one body cell."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    marks: tuple[tuple[int, int, str], ...] = ()  # (row, column, style)
    subtitle: str = ""


@dataclass(frozen=True)
class BarChart:
    """A ranking drawn as horizontal bars, the first bar on top (reports/ranking_chart.py);
    `mine` is the index of the reader's own bar, drawn in another colour."""

    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]
    mine: int | None = None
    subtitle: str = ""


# What the delivery worker may be asked to draw.
Picture = BeforeAfter | Table | BarChart

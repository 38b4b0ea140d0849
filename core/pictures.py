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

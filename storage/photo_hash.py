"""A photo's difference hash (dHash), in plain Pillow.

`imagehash` computes the same hash, but pulls in numpy, scipy and PyWavelets (about 150 MB)
for what is a 9×8 thumbnail and 64 comparisons. The bits are in imagehash's order (row by
row, the most significant first), so its `dhash` of the same thumbnail gives the same value.
"""

from __future__ import annotations

import io
import itertools

from PIL import Image

# Nine columns give eight left-to-right differences per row; eight rows give 64 bits.
_COLUMNS, _ROWS = 9, 8
# A thumbnail whose greys span fewer levels than this is a uniform surface: its bits are
# JPEG noise, and every such picture would hash alike. It gets no hash.
_PLAIN_SPAN = 12


def dhash(image: Image.Image) -> int | None:
    """Each bit says whether a thumbnail pixel is brighter than its left neighbour; None for
    a picture too plain to tell apart from other plain pictures."""
    grey = image.convert("L").resize((_COLUMNS, _ROWS), Image.Resampling.LANCZOS)
    pixels = list(grey.tobytes())
    if max(pixels) - min(pixels) < _PLAIN_SPAN:
        return None
    value = 0
    for row in range(_ROWS):
        line = pixels[row * _COLUMNS:(row + 1) * _COLUMNS]
        for left, right in itertools.pairwise(line):
            value = (value << 1) | (right > left)
    return value


def dhash_of_jpeg(data: bytes) -> int | None:
    """The hash of a JPEG, decoded at the smallest scale libjpeg offers that still holds
    the thumbnail: a fraction of the work of a full decode, the same bits in practice."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("L", (_COLUMNS * 8, _ROWS * 8))
        return dhash(image)


def as_text(value: int | None) -> str:
    """How a hash is kept beside its photo: 16 hex digits, or `plain`."""
    return "plain" if value is None else f"{value:016x}"


def from_text(text: str) -> int | None:
    """A hash as `as_text` wrote it; ValueError for anything else."""
    text = text.strip()
    if text == "plain":
        return None
    if len(text) != 16:
        raise ValueError(f"not a photo hash: {text[:40]!r}")
    return int(text, 16)

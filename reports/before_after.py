"""Before/after picture for a resolved ticket: two photos side by side, red under, green under."""

from __future__ import annotations

import io

from PIL import Image

BEFORE_RED = (211, 47, 47)
AFTER_GREEN = (56, 142, 60)
GUTTER_PX = 8
# Bars at least one 16-pixel JPEG block tall, so their colour survives chroma subsampling.
MIN_BAR_PX = 16
# The inputs are chat copies (≤ 1280 px a side); anything this large is a mistake, not a photo.
_MAX_INPUT_PIXELS = 40_000_000


def before_after(before: bytes, after: bytes, *, max_side: int = 1280) -> bytes:
    """A JPEG of both photos at equal height, no text, longest side at most max_side."""
    if max_side < 4 * MIN_BAR_PX:
        raise ValueError(f"max_side must be at least {4 * MIN_BAR_PX}")
    left, right = _photo(before), _photo(after)
    height = _fit_height(left.size, right.size, max_side)
    left, right = _at_height(left, height), _at_height(right, height)
    bar = _bar(height)
    canvas = Image.new("RGB", (left.width + GUTTER_PX + right.width, height + bar), "white")
    canvas.paste(left, (0, 0))
    canvas.paste(right, (left.width + GUTTER_PX, 0))
    canvas.paste(BEFORE_RED, (0, height, left.width, height + bar))
    canvas.paste(AFTER_GREEN, (left.width + GUTTER_PX, height, canvas.width, height + bar))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _photo(data: bytes) -> Image.Image:
    """Decode a chat copy from the photo store, already upright, flat and small; ValueError
    for anything else that is not a reasonable image."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > _MAX_INPUT_PIXELS:
            raise ValueError("photo too large for a before/after picture; pass chat copies")
        return image.convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError("not a readable photo") from exc


def _bar(height: int) -> int:
    """Bar height for a given photo height."""
    return max(MIN_BAR_PX, round(height * 0.04))


def _fit_height(left: tuple[int, int], right: tuple[int, int], max_side: int) -> int:
    """Common photo height: the shorter photo's, reduced until the whole picture fits."""
    ratios = left[0] / left[1] + right[0] / right[1]
    height = min(left[1], right[1], int((max_side - GUTTER_PX) / ratios), max_side)

    def longest(h: int) -> int:
        return max(_width(left, h) + _width(right, h) + GUTTER_PX, h + _bar(h))

    while height > 1 and longest(height) > max_side:
        height -= 1
    return max(height, 1)


def _width(size: tuple[int, int], height: int) -> int:
    """Width of a photo scaled to height, at least one pixel."""
    return max(1, round(size[0] * height / size[1]))


def _at_height(im: Image.Image, height: int) -> Image.Image:
    """The photo resized to the given height, aspect kept."""
    if im.height == height:
        return im
    return im.resize((_width(im.size, height), height), Image.Resampling.LANCZOS)

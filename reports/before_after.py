"""Before/after picture for a resolved ticket: two photos side by side, red under, green under,
each bar labelled, with a title strip above when the caller gives one."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from reports.fonts import cjk_font

BEFORE_RED = (211, 47, 47)
AFTER_GREEN = (56, 142, 60)
TITLE_SLATE = (38, 50, 56)
TEXT_WHITE = (255, 255, 255)
GUTTER_PX = 8
# Bars at least one 16-pixel JPEG block tall, so their colour survives chroma subsampling.
MIN_BAR_PX = 16
# Text at this share of the longest side is still ~10 px tall in a 320 px chat thumbnail.
TEXT_SHARE = 0.035
MIN_TEXT_PX = 12
# A label squeezed into a narrow bar may shrink this far before it is cut off instead.
MIN_FITTED_TEXT_PX = 8
BAND_PER_TEXT_PX = 1.6
# The inputs are chat copies (≤ 1280 px a side); anything this large is a mistake, not a photo.
_MAX_INPUT_PIXELS = 40_000_000

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class _Layout:
    """Widths of the photos, heights of the rows and the text size, for one photo height."""

    left: int
    right: int
    photo: int
    title: int
    bar: int
    text_px: int

    @property
    def width(self) -> int:
        return self.left + GUTTER_PX + self.right

    @property
    def longest(self) -> int:
        return max(self.width, self.title + self.photo + self.bar)


def before_after(
    before: bytes, after: bytes, *, labels: tuple[str, str] = ("", ""), title: str = "",
    max_side: int = 1280,
) -> bytes:
    """A JPEG of both photos at equal height, longest side at most max_side; labels go on the
    bars and the title in a strip above, both already in the reader's language."""
    if max_side < 4 * MIN_BAR_PX:
        raise ValueError(f"max_side must be at least {4 * MIN_BAR_PX}")
    left, right = _opened(before), _opened(after)
    layout = _fit(left.size, right.size, max_side, labelled=any(labels), titled=bool(title))
    bar_top = layout.title + layout.photo
    canvas = Image.new("RGB", (layout.width, bar_top + layout.bar), "white")
    right_x = layout.left + GUTTER_PX
    canvas.paste(_decoded(left, (layout.left, layout.photo)), (0, layout.title))
    canvas.paste(_decoded(right, (layout.right, layout.photo)), (right_x, layout.title))
    bars: tuple[Box, Box] = (
        (0, bar_top, layout.left, canvas.height),
        (right_x, bar_top, canvas.width, canvas.height),
    )
    canvas.paste(BEFORE_RED, bars[0])
    canvas.paste(AFTER_GREEN, bars[1])
    # Both labels at one size, the one that fits the narrower bar, so they read as a pair.
    label_px = min(_fitted_px(t, b, layout.text_px) for t, b in zip(labels, bars, strict=True))
    for label, box in zip(labels, bars, strict=True):
        _write(canvas, label, box, label_px, centred=False)
    if title:
        strip = (0, 0, canvas.width, layout.title)
        canvas.paste(TITLE_SLATE, strip)
        _write(canvas, title, strip, _fitted_px(title, strip, layout.text_px), centred=True)
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _padding(size: int) -> int:
    return max(2, size // 3)


def _fitted_px(text: str, box: Box, size: int) -> int:
    """The text size, shrunk if the text would not fit the box's width between paddings."""
    if not text:
        return size
    room = box[2] - box[0] - 2 * _padding(size)
    length = cjk_font(size).getlength(text)
    if length <= room or room <= 0:
        return size
    return max(MIN_FITTED_TEXT_PX, int(size * room / length))


def _write(canvas: Image.Image, text: str, box: Box, size: int, *, centred: bool) -> None:
    """White text in a box, vertically centred; cut off at the box's edges if it still does
    not fit, so a label never runs onto the other bar."""
    if not text:
        return
    region = canvas.crop(box)
    draw = ImageDraw.Draw(region)
    font = cjk_font(size)
    pad = _padding(size)
    length = round(draw.textlength(text, font=font))
    ink = draw.textbbox((0, 0), text, font=font)
    x = max(pad, (region.width - length) // 2) if centred else pad
    y = (region.height - (ink[3] - ink[1])) // 2 - ink[1]
    draw.text((x, y), text, font=font, fill=TEXT_WHITE)
    canvas.paste(region, box[:2])


def _opened(data: bytes) -> Image.Image:
    """A chat copy from the photo store (upright, flat, small), read as far as its size;
    ValueError for anything that is not a reasonable image."""
    try:
        image = Image.open(io.BytesIO(data))
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError("not a readable photo") from exc
    if image.width * image.height > _MAX_INPUT_PIXELS:
        raise ValueError("photo too large for a before/after picture; pass chat copies")
    return image


def _decoded(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The photo decoded at the size the layout gives it."""
    try:
        # A JPEG decodes at 1/2, 1/4 or 1/8 scale when that is still large enough: ~4× faster.
        image.draft("RGB", size)
        flat = image.convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise ValueError("not a readable photo") from exc
    return flat if flat.size == size else flat.resize(size, Image.Resampling.LANCZOS)


def _bar(height: int) -> int:
    """Bar height for a given photo height."""
    return max(MIN_BAR_PX, round(height * 0.04))


def _fit(
    left: tuple[int, int], right: tuple[int, int], max_side: int, *, labelled: bool, titled: bool
) -> _Layout:
    """Layout at the common photo height: the shorter photo's, reduced until all fits."""
    ratios = left[0] / left[1] + right[0] / right[1]
    height = min(left[1], right[1], int((max_side - GUTTER_PX) / ratios), max_side)
    layout = _layout(left, right, max(height, 1), max_side, labelled=labelled, titled=titled)
    while layout.photo > 1 and layout.longest > max_side:
        layout = _layout(left, right, layout.photo - 1, max_side, labelled=labelled, titled=titled)
    return layout


def _layout(
    left: tuple[int, int], right: tuple[int, int], height: int, max_side: int, *,
    labelled: bool, titled: bool,
) -> _Layout:
    """Rows and text size when the photos are shown at a given height."""
    left_px, right_px = _width(left, height), _width(right, height)
    room, total = max_side - GUTTER_PX, left_px + right_px
    if total > room:
        # Only strips far wider than tall get here, already one pixel high: squeeze them.
        left_px, right_px = max(1, left_px * room // total), max(1, right_px * room // total)
    text_px = max(MIN_TEXT_PX, round(max(left_px + GUTTER_PX + right_px, height) * TEXT_SHARE))
    band = round(text_px * BAND_PER_TEXT_PX) if labelled or titled else 0
    bar = max(_bar(height), band if labelled else 0)
    return _Layout(left_px, right_px, height, band if titled else 0, bar, text_px)


def _width(size: tuple[int, int], height: int) -> int:
    """Width of a photo scaled to height, at least one pixel."""
    return max(1, round(size[0] * height / size[1]))

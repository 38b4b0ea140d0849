"""The before/after picture, checked pixel by pixel on images drawn by Pillow."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from PIL import Image

from reports.before_after import GUTTER_PX, before_after
from reports.fonts import CJK

BLUE = (30, 60, 200)
YELLOW = (240, 220, 20)


def jpeg(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    """A plain JPEG like a chat copy."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def picture(before: bytes, after: bytes, **options: int) -> Image.Image:
    """The rendered picture, decoded."""
    im = Image.open(io.BytesIO(before_after(before, after, **options)))
    assert im.format == "JPEG"
    return im.convert("RGB")


def rgb(im: Image.Image, xy: tuple[int, int]) -> tuple[int, int, int]:
    """One pixel as a colour triple."""
    red, green, blue = im.getpixel(xy)  # type: ignore[misc]
    return red, green, blue


def test_the_picture_is_a_jpeg_as_wide_as_both_photos_side_by_side() -> None:
    im = picture(jpeg((400, 300), BLUE), jpeg((300, 300), YELLOW))
    assert im.width == pytest.approx(400 + 300, abs=GUTTER_PX + 2)
    assert im.height > 300


def test_the_bar_under_the_before_photo_is_red_and_under_the_after_photo_green() -> None:
    im = picture(jpeg((400, 300), BLUE), jpeg((300, 300), YELLOW))
    red, green, blue = rgb(im, (0, im.height - 1))
    assert red > 150 and green < 90 and blue < 90
    red, green, blue = rgb(im, (im.width - 1, im.height - 1))
    assert green > 100 and red < 100 and blue < 100


def test_photos_of_different_heights_are_shown_at_the_same_height() -> None:
    im = picture(jpeg((400, 300), BLUE), jpeg((200, 600), YELLOW))
    # The taller photo shrinks to 300 px, so it is 100 px wide beside the gutter.
    assert im.width == 400 + GUTTER_PX + 100
    for x, colour in ((10, BLUE), (im.width - 10, YELLOW)):
        for y in (5, 295):
            assert all(abs(a - b) < 25 for a, b in zip(rgb(im, (x, y)), colour, strict=True))


def test_the_gutter_between_the_photos_is_white() -> None:
    im = picture(jpeg((400, 300), BLUE), jpeg((300, 300), YELLOW))
    assert all(c > 200 for c in rgb(im, (400 + GUTTER_PX // 2, 150)))


def test_a_large_pair_is_scaled_down_to_fit_max_side() -> None:
    im = picture(jpeg((1280, 960), BLUE), jpeg((1280, 960), YELLOW), max_side=640)
    assert max(im.size) <= 640
    assert im.width >= 620


def test_portrait_photos_leave_room_for_the_bars_within_max_side() -> None:
    im = picture(jpeg((720, 1280), BLUE), jpeg((720, 1280), YELLOW))
    assert max(im.size) <= 1280
    assert rgb(im, (0, im.height - 1))[0] > 150


def test_an_unreadable_photo_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="photo"):
        before_after(b"not a photo", jpeg((10, 10), BLUE))


RED = (200, 30, 30)
GREEN = (30, 160, 50)
LABELS = ("整改前 11-30 09:00", "整改后 11-30 15:30")
TITLE = "HZ-261130-0001 · 2026-11-30"


def labelled(
    before: bytes, after: bytes, *, labels: tuple[str, str] = LABELS, title: str = TITLE,
    max_side: int = 1280,
) -> Image.Image:
    """The rendered picture with labels and a title, decoded."""
    data = before_after(before, after, labels=labels, title=title, max_side=max_side)
    return Image.open(io.BytesIO(data)).convert("RGB")


def is_white(colour: tuple[int, int, int]) -> bool:
    return min(colour) > 200


def is_dark(colour: tuple[int, int, int]) -> bool:
    return max(colour) < 90


def is_bar_red(colour: tuple[int, int, int]) -> bool:
    red, green, blue = colour
    return red > 150 and green < 90 and blue < 90


def run_from_bottom(im: Image.Image, x: int, test: Callable[[tuple[int, int, int]], bool]) -> int:
    """How many rows, counted up from the bottom, pass the colour test at column x."""
    rows = 0
    while rows < im.height and test(rgb(im, (x, im.height - 1 - rows))):
        rows += 1
    return rows


def run_from_top(im: Image.Image, x: int, test: Callable[[tuple[int, int, int]], bool]) -> int:
    """How many rows, counted down from the top, pass the colour test at column x."""
    rows = 0
    while rows < im.height and test(rgb(im, (x, rows))):
        rows += 1
    return rows


def white_pixels(im: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels of the text colour inside a box, a few pixels in from its edges."""
    data = im.crop((box[0] + 3, box[1] + 3, box[2] - 3, box[3] - 3)).tobytes()
    return sum(1 for i in range(0, len(data), 3) if min(data[i : i + 3]) > 200)


def bar_boxes(im: Image.Image, left_width: int) -> tuple[tuple[int, int, int, int], ...]:
    """The red and the green bar of a picture of a blue and a yellow photo."""
    bar = run_from_bottom(im, 1, is_bar_red)
    top = im.height - bar
    return (0, top, left_width, im.height), (left_width + GUTTER_PX, top, im.width, im.height)


def test_the_before_photo_is_on_the_left_and_the_after_photo_on_the_right() -> None:
    im = labelled(jpeg((400, 300), RED), jpeg((400, 300), GREEN))
    middle = im.height // 2
    for x, colour in ((200, RED), (im.width - 200, GREEN)):
        assert all(abs(a - b) < 25 for a, b in zip(rgb(im, (x, middle)), colour, strict=True))


def test_the_labels_are_written_in_white_on_the_red_and_the_green_bar() -> None:
    im = labelled(jpeg((400, 300), BLUE), jpeg((400, 300), YELLOW))
    for box in bar_boxes(im, 400):
        assert white_pixels(im, box) > 300


def test_without_labels_the_bars_carry_no_text() -> None:
    im = labelled(jpeg((400, 300), BLUE), jpeg((400, 300), YELLOW), labels=("", ""))
    for box in bar_boxes(im, 400):
        assert box[3] - box[1] > 8
        assert white_pixels(im, box) == 0


def test_the_labels_are_tall_enough_to_read_in_a_chat_thumbnail() -> None:
    im = labelled(jpeg((1280, 960), BLUE), jpeg((1280, 960), YELLOW))
    red_bar = bar_boxes(im, (im.width - GUTTER_PX) // 2)[0]
    rows = [
        y for y in range(red_bar[1], red_bar[3])
        if any(is_white(rgb(im, (x, y))) for x in range(red_bar[0] + 3, red_bar[2] - 3, 2))
    ]
    # Shown 320 px wide, as chats show a thumbnail, the letters are still ~10 px tall.
    assert (max(rows) - min(rows)) * 320 / im.width >= 9


@pytest.mark.skipif(CJK.file is None, reason="no Chinese font installed (fonts-wqy-zenhei)")
def test_chinese_labels_are_drawn_with_real_glyphs_not_missing_glyph_boxes() -> None:
    pictures = [
        labelled(jpeg((400, 300), BLUE), jpeg((400, 300), YELLOW), labels=(c, c), title="")
        for c in ("整", "前")
    ]
    boxes = [bar_boxes(p, 400)[0] for p in pictures]
    assert boxes[0] == boxes[1]
    masks = [p.crop(boxes[0]).convert("L").point(lambda v: 255 if v > 200 else 0).tobytes()
             for p in pictures]
    assert sum(a != b for a, b in zip(*masks, strict=True)) > 50


def test_the_title_strip_above_the_photos_carries_the_code_and_the_date() -> None:
    im = labelled(jpeg((400, 300), BLUE), jpeg((400, 300), YELLOW))
    strip = run_from_top(im, 1, is_dark)
    assert strip >= 16
    assert white_pixels(im, (0, 0, im.width, strip)) > 300
    below = rgb(im, (200, strip + 10))
    assert all(abs(a - b) < 25 for a, b in zip(below, BLUE, strict=True))


def test_without_a_title_the_photos_start_at_the_top() -> None:
    im = labelled(jpeg((400, 300), BLUE), jpeg((400, 300), YELLOW), title="")
    assert run_from_top(im, 1, is_dark) == 0
    assert all(abs(a - b) < 25 for a, b in zip(rgb(im, (200, 2)), BLUE, strict=True))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ((60, 3000), (3000, 60)),
        ((3000, 40), (3000, 40)),
        ((40, 3000), (40, 3000)),
        ((720, 1280), (720, 1280)),
        ((1280, 960), (720, 1280)),
    ],
)
@pytest.mark.parametrize("max_side", [64, 320, 1280])
def test_labels_and_title_keep_the_longest_side_within_max_side(
    before: tuple[int, int], after: tuple[int, int], max_side: int
) -> None:
    im = labelled(jpeg(before, BLUE), jpeg(after, YELLOW), max_side=max_side)
    assert max(im.size) <= max_side


def test_the_old_call_without_labels_draws_the_same_picture_as_before() -> None:
    before, after = jpeg((400, 300), BLUE), jpeg((200, 600), YELLOW)
    plain = before_after(before, after)
    assert before_after(before, after, labels=("", ""), title="") == plain
    assert Image.open(io.BytesIO(plain)).size == (400 + GUTTER_PX + 100, 300 + 16)

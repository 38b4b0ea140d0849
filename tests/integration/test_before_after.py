"""The before/after picture, checked pixel by pixel on images drawn by Pillow."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reports.before_after import GUTTER_PX, before_after

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

"""The ranking chart checked as an image: its size, one bar per entry found by its pixels and
as long as its points, the reader's bar in its own colour, and Chinese names really drawn."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from reports.fonts import CJK
from reports.ranking_chart import BAR, FRAME_PX, MINE, ROW_PX, WIDTH_PX, ranking_chart

NOT_INSTALLED = "no Chinese font installed (fonts-wqy-zenhei)"
LABELS = ["1. 马晓东 (W01)", "2. 林嘉欣 (W02)", "2. 周杰 (TL-MECH)", "4. 张伟 (DH-EQUIP)",
          "12. 杨帆 (W03)"]
VALUES = [40, 25, 25, 10, 3]


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    image.load()
    return image.convert("RGB")


def bars(image: Image.Image) -> list[tuple[tuple[int, int, int], int]]:
    """(colour, length in pixels) of each bar from the top, read from the pixels alone: the
    bars start at one axis, so a column just right of it crosses each bar once."""
    pixels = np.asarray(image)
    own = {colour: np.all(pixels == colour, axis=2) for colour in (BAR, MINE)}
    either = own[BAR] | own[MINE]
    columns = np.flatnonzero(either.any(axis=0))
    assert columns.size, "no bar at all"
    probe = int(columns[0]) + 2
    found: list[tuple[tuple[int, int, int], int]] = []
    rows = either[:, probe]
    y = 0
    while y < len(rows):
        if not rows[y]:
            y += 1
            continue
        end = y
        while end < len(rows) and rows[end]:
            end += 1
        middle = (y + end) // 2
        colour = BAR if own[BAR][middle, probe] else MINE
        length = int(own[colour][middle, probe - 2:].argmin())  # first pixel not of the bar
        found.append((colour, length))
        y = end
    return found


def test_the_chart_is_a_png_one_row_taller_per_entry() -> None:
    image = opened(ranking_chart("本月个人积分排行", LABELS, VALUES, mine=4))
    assert image.size == (WIDTH_PX, FRAME_PX + ROW_PX * len(LABELS))
    fewer = opened(ranking_chart("本月个人积分排行", LABELS[:2], VALUES[:2]))
    assert fewer.size == (WIDTH_PX, FRAME_PX + ROW_PX * 2)


def test_every_entry_is_a_bar_as_long_as_its_points_and_mine_stands_out() -> None:
    found = bars(opened(ranking_chart("本月个人积分排行", LABELS, VALUES, mine=4)))
    assert [colour for colour, _ in found] == [BAR, BAR, BAR, BAR, MINE]
    longest = found[0][1]
    assert longest > WIDTH_PX // 2
    for (_, length), points in zip(found, VALUES, strict=True):
        assert abs(length - longest * points / VALUES[0]) <= 3, (length, points)


def test_without_a_bar_of_mine_every_bar_has_the_common_colour() -> None:
    found = bars(opened(ranking_chart("Points ranking", ["1. Lin", "2. Ma"], [7, 7])))
    assert found[0] == found[1] and found[0][0] == BAR


def test_chinese_names_are_drawn_with_the_cjk_font_not_as_boxes() -> None:
    if CJK.file is None:
        pytest.skip(NOT_INSTALLED)
    # Two names that differ only in their hanzi: a font without them draws the same boxes.
    one = ranking_chart("排行", ["1. 整整整"], [5])
    other = ranking_chart("排行", ["1. 前前前"], [5])
    assert opened(one).tobytes() != opened(other).tobytes()
    # and matplotlib warns of any glyph it lacks: the test run turns that into an error
    ranking_chart("本月（2026-11）部门积分排行", ["1. 安全环保部", "2. 设备部"], [12, 5])


def test_labels_and_values_must_pair_up() -> None:
    with pytest.raises(ValueError, match="as many values"):
        ranking_chart("排行", ["1. 马晓东"], [])
    with pytest.raises(ValueError, match="at least one"):
        ranking_chart("排行", [], [])

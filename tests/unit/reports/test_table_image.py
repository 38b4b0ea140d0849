"""The table picture: Chinese and English, marked cells in colour, wrapping within a phone's
width, long tables cut with a footer, and an empty table that still says something."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reports.fonts import CJK, cjk_font
from reports.table_image import (
    BODY_PX,
    EMPTY,
    MARKS,
    MIN_WIDTH,
    PAD_X,
    PHONE_WIDTH,
    plan_table,
    render_table,
)

NOT_INSTALLED = "no Chinese font installed (fonts-wqy-zenhei)"
HEADERS = ["编号", "部门", "内容", "期限"]
ROWS = [
    ["HZ-0001", "设备部", "高压配电柜异常", "逾期 3 小时"],
    ["HZ-0002", "Production", "Valve leaking near the boiler", "2h left"],
]
LONG = ("高压配电柜异常，需要立即断电检修并更换绝缘件，同时通知生产部门调整排产计划。"
        "The contractor must sign the work permit before anyone opens the cabinet door.")


def opened(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    image.load()
    return image.convert("RGB")


def close_to(pixel: tuple[int, ...], colour: tuple[int, int, int], slack: int = 3) -> bool:
    return all(abs(p - c) <= slack for p, c in zip(pixel, colour, strict=True))


def pixels(image: Image.Image, box: tuple[int, int, int, int]) -> list[tuple[int, int, int]]:
    raw = image.crop(box).tobytes()
    return [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]


def test_a_chinese_and_english_table_is_a_png_of_a_sane_size() -> None:
    image = opened(render_table("联合看板 Joint board", HEADERS, ROWS, subtitle="12月1日"))
    assert MIN_WIDTH <= image.width <= PHONE_WIDTH
    assert 150 < image.height < 1000
    assert len(set(pixels(image, (0, 0, image.width, image.height)))) > 10  # something drawn


def test_chinese_cells_are_drawn_with_a_font_that_has_the_characters() -> None:
    if CJK.file is None:
        pytest.skip(NOT_INSTALLED)
    # With a missing-glyph box both tables would come out the same.
    assert render_table("看板", ["部门"], [["整改"]]) != render_table("看板", ["部门"], [["前进"]])


def test_a_late_cell_is_red_with_white_text_and_its_neighbours_are_not() -> None:
    marks = {(0, 3): "late", (1, 3): "done"}
    plan = plan_table("看板", HEADERS, ROWS)
    image = opened(render_table("看板", HEADERS, ROWS, marks=marks))
    left, top, right, bottom = plan.cell_box(0, 3)
    late = MARKS["late"]
    assert close_to(image.getpixel((left + 2, top + 2)), late.fill)  # type: ignore[arg-type]
    assert close_to(image.getpixel((right - 3, bottom - 3)), late.fill)  # type: ignore[arg-type]
    assert any(close_to(p, late.text, 10) for p in pixels(image, plan.cell_box(0, 3)))
    beside = plan.cell_box(0, 2)
    assert not close_to(image.getpixel((beside[0] + 2, beside[1] + 2)),  # type: ignore[arg-type]
                        late.fill, 40)
    done = plan.cell_box(1, 3)
    assert close_to(image.getpixel((done[0] + 2, done[1] + 2)),  # type: ignore[arg-type]
                    MARKS["done"].fill)


def test_without_marks_no_cell_is_red() -> None:
    image = opened(render_table("看板", HEADERS, ROWS))
    assert not any(close_to(p, MARKS["late"].fill, 20)
                   for p in pixels(image, (0, 0, image.width, image.height)))


def test_an_unknown_mark_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="overdue"):
        render_table("看板", HEADERS, ROWS, marks={(0, 0): "overdue"})


def test_many_rows_are_cut_at_the_limit_with_a_footer_counting_the_rest() -> None:
    rows = [[f"HZ-{i:04d}", "设备部", "检查", "1h"] for i in range(100)]
    plan = plan_table("看板", HEADERS, rows, more="另有 {count} 行未显示")
    assert len(plan.rows) == 30
    assert plan.footer == "另有 70 行未显示"
    assert plan.height < 30 * 2 * BODY_PX * 2  # 30 one-line rows, not 100
    five = plan_table("看板", HEADERS, rows, max_rows=5)
    assert (len(five.rows), five.footer) == (5, "+95")
    assert opened(render_table("看板", HEADERS, rows)).height == plan.height


def test_a_table_that_fits_exactly_has_no_footer() -> None:
    rows = [["a"]] * 30
    assert plan_table("看板", ["x"], rows).footer == ""


def test_an_empty_table_shows_its_title_and_a_dash() -> None:
    for headers in (HEADERS, []):
        plan = plan_table("今日无逾期", headers, [])
        assert plan.footer == EMPTY
        assert plan.rows == ()
        image = opened(render_table("今日无逾期", headers, []))
        title_strip = pixels(image, (0, 0, image.width, 60))
        assert any(sum(p) < 200 for p in title_strip)  # dark title ink
        dash_strip = pixels(image, (0, plan.footer_top, image.width, image.height))
        assert any(p != (255, 255, 255) for p in dash_strip)


def test_long_cells_wrap_within_a_phone_wide_picture_and_every_line_fits_its_column() -> None:
    rows = [["HZ-0001", "设备部", LONG, "逾期"], ["HZ-0002", "x", "Supercalifragilistic" * 8, "1h"]]
    plan = plan_table("看板", HEADERS, rows)
    assert plan.width <= PHONE_WIDTH
    assert sum(plan.columns) <= PHONE_WIDTH
    font = cjk_font(BODY_PX)
    for row in plan.rows:
        assert len(row.cells[2]) > 1
        for lines, width in zip(row.cells, plan.columns, strict=True):
            assert all(font.getlength(line) <= width - 2 * PAD_X for line in lines)
    assert plan.columns[0] > font.getlength("HZ-0001")  # short columns keep their width


def test_a_very_long_cell_is_cut_with_an_ellipsis() -> None:
    plan = plan_table("看板", ["内容"], [[LONG * 10]], max_width=MIN_WIDTH)
    cell = plan.rows[0].cells[0]
    assert len(cell) == 4
    assert cell[-1].endswith("…")


def test_rows_shorter_or_longer_than_the_headers_are_drawn_without_error() -> None:
    plan = plan_table("看板", ["a", "b"], [["1"], ["1", "2", "3"]])
    assert len(plan.columns) == 3
    assert opened(render_table("看板", ["a", "b"], [["1"], ["1", "2", "3"]])).width >= MIN_WIDTH


def test_a_long_title_wraps_instead_of_widening_the_picture() -> None:
    plan = plan_table("跨部门联合整改看板 " * 20, ["a"], [["1"]])
    assert plan.width <= PHONE_WIDTH
    assert len(plan.title) > 1

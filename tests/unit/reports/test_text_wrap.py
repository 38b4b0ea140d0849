"""Breaking lines by pixel width: Chinese anywhere, English between words."""

from __future__ import annotations

from reports.fonts import cjk_font
from reports.text_wrap import wrap

FONT = cjk_font(20)


def width_of(chars: str) -> float:
    return FONT.getlength(chars)


def test_text_that_fits_stays_on_one_line() -> None:
    assert wrap("设备部 Production", FONT, 1000) == ["设备部 Production"]


def test_english_breaks_between_words() -> None:
    lines = wrap("open the valve slowly", FONT, width_of("open the valve "))
    assert lines == ["open the valve", "slowly"]


def test_chinese_breaks_between_any_two_characters() -> None:
    lines = wrap("高压配电柜异常需要断电", FONT, width_of("高压配电"))
    assert "".join(lines) == "高压配电柜异常需要断电"
    assert all(width_of(line) <= width_of("高压配电") for line in lines)
    assert len(lines) == 3


def test_a_comma_never_starts_a_line() -> None:
    lines = wrap("高压配电，柜异常", FONT, width_of("高压配电"))
    assert not any(line.startswith("，") for line in lines)


def test_a_word_longer_than_the_line_is_cut_between_letters() -> None:
    lines = wrap("x " + "a" * 60, FONT, width_of("a" * 10))
    assert lines[0] == "x"
    assert "".join(lines[1:]) == "a" * 60
    assert all(width_of(line) <= width_of("a" * 10) for line in lines)


def test_newlines_are_kept_and_empty_text_is_one_empty_line() -> None:
    assert wrap("一\n二", FONT, 1000) == ["一", "二"]
    assert wrap("", FONT, 1000) == [""]


def test_max_lines_cuts_with_an_ellipsis_that_still_fits() -> None:
    lines = wrap("检修" * 50, FONT, width_of("检修检修"), max_lines=2)
    assert len(lines) == 2
    assert lines[1].endswith("…")
    assert width_of(lines[1]) <= width_of("检修检修")

"""Finding a font that draws Chinese, and falling back when the machine has none."""

from __future__ import annotations

import logging
import shutil
import stat
from pathlib import Path

import pytest
from PIL import ImageFont

from reports.fonts import CJK, KNOWN_CJK_FONTS, FontFile, FontFinder, draws_chinese

NOT_INSTALLED = "no Chinese font installed (fonts-wqy-zenhei)"


def fake_fc_match(tmp_path: Path, answer: str) -> str:
    """An fc-match stand-in that answers every query with one font file."""
    script = tmp_path / "fc-match"
    script.write_text(f"#!/bin/sh\nprintf '%s' '{answer}'\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_the_default_finder_finds_an_installed_font_file_that_draws_chinese() -> None:
    found = CJK.file
    assert found is not None, NOT_INSTALLED
    assert Path(found.path).is_file()
    assert draws_chinese(CJK.font(24))


def test_a_font_on_the_known_list_is_found_without_asking_fc_match() -> None:
    installed = [f for f in KNOWN_CJK_FONTS if Path(f.path).is_file()]
    if not installed:
        pytest.skip(NOT_INSTALLED)
    assert FontFinder(KNOWN_CJK_FONTS, fc_match=None).file == installed[0]


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig not installed")
def test_fc_match_finds_a_chinese_font_when_the_known_list_has_none() -> None:
    if CJK.file is None:
        pytest.skip(NOT_INSTALLED)
    found = FontFinder((), fc_match="fc-match").file
    assert found is not None
    assert draws_chinese(ImageFont.truetype(found.path, 24, index=found.index))


def test_a_font_fc_match_offers_that_cannot_draw_chinese_is_passed_over(tmp_path: Path) -> None:
    default = ImageFont.load_default(size=24)
    assert isinstance(default, ImageFont.FreeTypeFont)
    latin = tmp_path / "latin.ttf"
    latin.write_bytes(default.font_bytes)
    assert FontFinder((), fc_match=fake_fc_match(tmp_path, str(latin))).file is None


def test_a_broken_font_file_on_the_list_is_passed_over(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttc"
    broken.write_bytes(b"not a font")
    finder = FontFinder((FontFile(str(broken)), FontFile(str(tmp_path / "missing.ttf"))),
                        fc_match=None)
    assert finder.file is None


def test_with_no_font_and_no_fc_match_the_default_font_is_used_and_a_warning_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    finder = FontFinder((), fc_match="no-such-fc-match")
    with caplog.at_level(logging.WARNING, logger="reports.fonts"):
        small, large = finder.font(12), finder.font(40)
    assert finder.file is None
    assert small.getbbox("HZ-0001")[3] < large.getbbox("HZ-0001")[3]
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "fonts-wqy-zenhei" in caplog.records[0].getMessage()


def test_the_default_font_draws_chinese_as_the_same_missing_glyph_box() -> None:
    assert not draws_chinese(ImageFont.load_default(size=24))

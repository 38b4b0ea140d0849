"""A font that draws Chinese, found once per process, for pictures and printed reports."""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class FontFile:
    """A font file and the face to use when it is a collection (.ttc)."""

    path: str
    index: int = 0


# Where the usual packages put a Chinese font; checked in order, before asking fontconfig.
KNOWN_CJK_FONTS: tuple[FontFile, ...] = (
    FontFile("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian fonts-wqy-zenhei
    FontFile("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    # fonts-noto-cjk: face 2 of the collection is Simplified Chinese.
    FontFile("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    FontFile("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Fedora
    FontFile("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Arch
    FontFile("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    FontFile("/System/Library/Fonts/PingFang.ttc"),  # macOS
    FontFile("/System/Library/Fonts/STHeiti Medium.ttc"),
    FontFile("C:/Windows/Fonts/msyh.ttc"),  # Windows, Microsoft YaHei
)
# fontconfig knows Chinese as zh-cn; a bare `:lang=zh` answers with its Latin default font.
_FC_QUERY = ":lang=zh-cn"
_FC_TIMEOUT_S = 5


class FontFinder:
    """Finds a Chinese font on first use, then hands it out at any size."""

    def __init__(
        self, candidates: Sequence[FontFile] = KNOWN_CJK_FONTS, *, fc_match: str | None = "fc-match"
    ) -> None:
        self._candidates = tuple(candidates)
        self._fc_match = fc_match

    @functools.cached_property
    def file(self) -> FontFile | None:
        """The first candidate, else fontconfig's answer, that really draws Chinese."""
        found = next((f for f in self._candidates if _usable(f)), None)
        if found is None and self._fc_match:
            asked = _ask_fontconfig(self._fc_match)
            found = asked if asked and _usable(asked) else None
        if found is None:
            log.warning(
                "no Chinese font found; Chinese text in pictures will show as boxes "
                "(install fonts-wqy-zenhei)"
            )
        return found

    def font(self, size: int) -> Font:
        """The font at a pixel size; Pillow's built-in font when no Chinese font exists."""
        return _load(self.file, size)


@functools.lru_cache(maxsize=64)
def _load(file: FontFile | None, size: int) -> Font:
    if file is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(file.path, size, index=file.index)


def draws_chinese(font: Font) -> bool:
    """Whether two different hanzi come out different, not as the same missing-glyph box."""
    return _glyph(font, "整") != _glyph(font, "前")


def _glyph(font: Font, char: str) -> bytes:
    canvas = Image.new("L", (64, 64))
    ImageDraw.Draw(canvas).text((4, 4), char, font=font, fill=255)
    return canvas.tobytes()


def _usable(file: FontFile) -> bool:
    try:
        return draws_chinese(ImageFont.truetype(file.path, 24, index=file.index))
    except OSError:  # missing, unreadable or not a font
        return False


def _ask_fontconfig(command: str) -> FontFile | None:
    executable = shutil.which(command)
    if executable is None:
        return None
    try:
        done = subprocess.run(
            [executable, "-f", "%{file}\t%{index}", _FC_QUERY],
            capture_output=True, text=True, timeout=_FC_TIMEOUT_S, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    path, _, index = done.stdout.strip().partition("\t")
    if done.returncode != 0 or not path:
        return None
    return FontFile(path, int(index) if index.isdigit() else 0)


# The process's Chinese font; looked up on first use, so importing costs nothing.
CJK = FontFinder()


def cjk_font(size: int) -> Font:
    """The process's Chinese font at a pixel size."""
    return CJK.font(size)

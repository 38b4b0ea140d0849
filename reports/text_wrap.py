"""Breaking text into lines that fit a width in pixels: Chinese between any two characters,
other scripts between words, a word too long for the line between its letters."""

from __future__ import annotations

import re

from reports.fonts import Font

ELLIPSIS = "…"
# One CJK character (ideographs, kana, hangul, full-width forms and punctuation) is a token of
# its own, since Chinese may break anywhere; a run of anything else that is not a space is a word.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
# Closing punctuation stays on the line before it rather than starting the next (禁则).
_NO_LINE_START = frozenset("，。、；：？！）》」』】,.;:?!)")


def wrap(text: str, font: Font, width: float, *, max_lines: int | None = None) -> list[str]:
    """The lines of text within width pixels (explicit newlines kept); with max_lines, the
    last kept line ends in an ellipsis when text was cut. Always at least one line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, font, width))
    if max_lines is not None and len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _with_ellipsis(lines[max_lines - 1], font, width)]
    return lines or [""]


def _wrap_paragraph(paragraph: str, font: Font, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(paragraph):
        if font.getlength(line + token) <= width or (line and token in _NO_LINE_START):
            line += token
        elif token.isspace():
            lines.append(line.rstrip())
            line = ""
        else:
            if line.strip():
                lines.append(line.rstrip())
            line = ""
            for char in token:  # a word longer than the line, cut between letters
                if line and font.getlength(line + char) > width:
                    lines.append(line)
                    line = ""
                line += char
    lines.append(line.rstrip())
    return lines


def _with_ellipsis(line: str, font: Font, width: float) -> str:
    while line and font.getlength(line + ELLIPSIS) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS

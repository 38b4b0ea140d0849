"""A table drawn as a PNG for a chat: the joint board, inspections, rankings. Columns as wide
as their text, long cells wrapped, at most a phone screen wide, cells marked late, due soon,
done or waiting in colour. Every text arrives already in the reader's language."""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from reports.fonts import cjk_font
from reports.text_wrap import wrap

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Style:
    """How a marked cell looks."""

    fill: Colour
    text: Colour
    bold: bool = False


INK = (33, 33, 33)
MUTED = (97, 97, 97)
RULE = (224, 224, 224)
ZEBRA = (245, 245, 245)
HEADER = Style(fill=(38, 50, 56), text=(255, 255, 255), bold=True)
PLAIN = Style(fill=(255, 255, 255), text=INK)
STRIPED = Style(fill=ZEBRA, text=INK)
# Named styles callers mark cells with; red and green are the before/after picture's.
MARKS: Mapping[str, Style] = {
    "late": Style(fill=(211, 47, 47), text=(255, 255, 255), bold=True),
    "due_soon": Style(fill=(255, 193, 7), text=INK),
    "done": Style(fill=(165, 214, 167), text=(27, 94, 32)),
    "waiting": Style(fill=(207, 216, 220), text=MUTED),
}
EMPTY = "—"
# A phone screen shows about 1080 px across; narrower tables keep a readable minimum.
PHONE_WIDTH = 1080
MIN_WIDTH = 480
MARGIN = 24
PAD_X, PAD_Y = 12, 8
TITLE_PX, SUBTITLE_PX, BODY_PX = 34, 22, 26
# A cell is cut after this many lines, so one long description cannot make the picture a
# scroll (and 30 rows stay within Telegram's photo limit of 10,000 px width + height).
MAX_CELL_LINES = 4
# No column squeezed narrower than two Chinese characters.
MIN_COLUMN = 2 * BODY_PX + 2 * PAD_X
# Fake bold (a 1 px stroke) widens text by a pixel each side.
BOLD_SLACK = 2
LINE_SPACING = 1.45


@dataclass(frozen=True)
class Row:
    """One drawn band of the table: where it starts, how tall, each cell's lines."""

    top: int
    height: int
    cells: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Plan:
    """Where everything goes; computed before a pixel is drawn, and readable by tests."""

    width: int
    height: int
    title: tuple[str, ...]
    subtitle: tuple[str, ...]
    columns: tuple[int, ...]  # widths
    header: Row | None
    rows: tuple[Row, ...]
    footer: str
    footer_top: int

    def cell_box(self, row: int, col: int) -> tuple[int, int, int, int]:
        """Left, top, right, bottom of a body cell (rows counted from 0 below the header)."""
        band = self.rows[row]
        left = MARGIN + sum(self.columns[:col])
        return left, band.top, left + self.columns[col], band.top + band.height


def render_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *,
                 marks: Mapping[tuple[int, int], str] | None = None,
                 subtitle: str = "", max_rows: int = 30, more: str = "+{count}",
                 max_width: int = PHONE_WIDTH) -> bytes:
    """The table as PNG bytes. marks[(row, col)] names a style in MARKS for one body cell;
    beyond max_rows rows a footer says how many more, from the template `more` (`{count}`,
    e.g. the catalog's table.more_rows); a table without rows shows "—"."""
    marks = marks or {}
    unknown = sorted(set(marks.values()) - set(MARKS))
    if unknown:
        raise ValueError(f"unknown table marks {unknown}; known: {sorted(MARKS)}")
    plan = plan_table(title, headers, rows, subtitle=subtitle, max_rows=max_rows, more=more,
                      max_width=max_width)
    canvas = Image.new("RGB", (plan.width, plan.height), "white")
    draw = ImageDraw.Draw(canvas)
    y = MARGIN
    for line in plan.title:
        _text(draw, (MARGIN, y), line, TITLE_PX, INK, bold=True)
        y += _line_px(TITLE_PX)
    for line in plan.subtitle:
        _text(draw, (MARGIN, y), line, SUBTITLE_PX, MUTED)
        y += _line_px(SUBTITLE_PX)
    if plan.header is not None:
        _band(draw, plan, plan.header, [HEADER] * len(plan.columns))
    for index, row in enumerate(plan.rows):
        base = STRIPED if index % 2 else PLAIN
        styles = [MARKS[marks[index, col]] if (index, col) in marks else base
                  for col in range(len(plan.columns))]
        _band(draw, plan, row, styles)
    if plan.footer:
        size = SUBTITLE_PX if plan.rows else BODY_PX
        _text(draw, (MARGIN + PAD_X, plan.footer_top), plan.footer, size, MUTED)
    out = io.BytesIO()
    # Only the styles' colours and the blends between text and fill occur, so a fixed palette
    # keeps the picture as it was drawn at a third of the bytes, and saves three times faster.
    canvas.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, "PNG")
    return out.getvalue()


def plan_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *,
               subtitle: str = "", max_rows: int = 30, more: str = "+{count}",
               max_width: int = PHONE_WIDTH) -> Plan:
    """The layout of render_table's picture, without drawing it."""
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    if max_width < MIN_WIDTH:
        raise ValueError(f"max_width must be at least {MIN_WIDTH}")
    shown = [list(r) for r in rows[:max_rows]]
    count = max([len(headers), *map(len, shown)]) if shown or headers else 0
    body = [r + [""] * (count - len(r)) for r in shown]
    room = max_width - 2 * MARGIN
    columns = _fitted([_natural(i, headers, body) for i in range(count)], room)
    title_lines = tuple(wrap(title, cjk_font(TITLE_PX), room - BOLD_SLACK))
    subtitle_lines = tuple(wrap(subtitle, cjk_font(SUBTITLE_PX), room)) if subtitle else ()
    table_px = sum(columns)
    width = max(MIN_WIDTH, table_px + 2 * MARGIN, *(_px(t, TITLE_PX) + BOLD_SLACK + 2 * MARGIN
                                                   for t in title_lines))
    width = min(width, max_width)
    columns = _spread(columns, width - 2 * MARGIN) if count else ()
    y = MARGIN + len(title_lines) * _line_px(TITLE_PX) + len(subtitle_lines) * _line_px(
        SUBTITLE_PX) + PAD_Y
    header = None
    if headers:
        header = _row(y, list(headers) + [""] * (count - len(headers)), columns)
        y += header.height
    bands = []
    for cells in body:
        bands.append(_row(y, cells, columns))
        y += bands[-1].height
    footer = ""
    if not body:
        footer = EMPTY
    elif len(rows) > max_rows:
        footer = more.format(count=len(rows) - max_rows)
    footer_top = y + PAD_Y
    if footer:
        y = footer_top + _line_px(SUBTITLE_PX if body else BODY_PX)
    return Plan(width=width, height=y + MARGIN, title=title_lines, subtitle=subtitle_lines,
                columns=columns, header=header, rows=tuple(bands), footer=footer,
                footer_top=footer_top)


@functools.cache
def _palette() -> Image.Image:
    """Every colour a table uses: each style's fill blended into its text in 16 steps."""
    styles = [HEADER, PLAIN, STRIPED, *MARKS.values(), Style(fill=PLAIN.fill, text=MUTED)]
    colours = {RULE}
    for style in styles:
        (fr, fg, fb), (tr, tg, tb) = style.fill, style.text
        for step in range(16):
            share = step / 15
            colours.add((round(fr + (tr - fr) * share), round(fg + (tg - fg) * share),
                         round(fb + (tb - fb) * share)))
    flat = [channel for colour in sorted(colours) for channel in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    return palette


def _px(text: str, size: int) -> int:
    return int(cjk_font(size).getlength(text)) + 1


def _line_px(size: int) -> int:
    # ascent + descent of the CJK font (and of Pillow's fallback) plus a little leading
    return round(size * LINE_SPACING)


def _natural(col: int, headers: Sequence[str], body: list[list[str]]) -> int:
    """A column's width with every cell on one line (each explicit line counted apart)."""
    texts = [*([headers[col]] if col < len(headers) else []), *(r[col] for r in body)]
    longest = max((_px(line, BODY_PX) for text in texts for line in text.split("\n")), default=0)
    return max(MIN_COLUMN, longest + BOLD_SLACK + 2 * PAD_X)


def _fitted(natural: list[int], room: int) -> tuple[int, ...]:
    """Widths within room: narrow columns keep their width, the wide ones share what is left
    equally (so a long description column wraps first)."""
    if sum(natural) <= room or not natural:
        return tuple(natural)
    cap = room // len(natural)
    for _ in natural:  # raise the cap while columns under it leave room unused
        narrow = [w for w in natural if w <= cap]
        wide = len(natural) - len(narrow)
        if not wide:
            break
        better = (room - sum(narrow)) // wide
        if better <= cap:
            break
        cap = better
    return tuple(min(w, cap) for w in natural)


def _spread(columns: tuple[int, ...], width: int) -> tuple[int, ...]:
    """Columns widened evenly to fill a picture made wider by its title or minimum width."""
    extra = width - sum(columns)
    if extra <= 0 or not columns:
        return columns
    share, rest = divmod(extra, len(columns))
    return tuple(w + share + (i < rest) for i, w in enumerate(columns))


def _row(top: int, cells: Sequence[str], columns: Sequence[int]) -> Row:
    font = cjk_font(BODY_PX)
    lines = tuple(
        tuple(wrap(text, font, width - 2 * PAD_X - BOLD_SLACK, max_lines=MAX_CELL_LINES))
        for text, width in zip(cells, columns, strict=True)
    )
    tallest = max((len(c) for c in lines), default=1)
    return Row(top=top, height=tallest * _line_px(BODY_PX) + 2 * PAD_Y, cells=lines)


def _band(draw: ImageDraw.ImageDraw, plan: Plan, row: Row, styles: Sequence[Style]) -> None:
    left = MARGIN
    bottom = row.top + row.height
    for lines, width, style in zip(row.cells, plan.columns, styles, strict=True):
        # a white pixel between cells keeps two marked neighbours apart
        draw.rectangle((left, row.top, left + width - 2, bottom - 1), fill=style.fill)
        for n, line in enumerate(lines):
            _text(draw, (left + PAD_X, row.top + PAD_Y + n * _line_px(BODY_PX)), line, BODY_PX,
                  style.text, bold=style.bold)
        left += width
    draw.line((MARGIN, bottom - 1, left - 1, bottom - 1), fill=RULE)


def _text(draw: ImageDraw.ImageDraw, at: tuple[int, int], text: str, size: int,
          colour: Colour, *, bold: bool = False) -> None:
    if text:
        draw.text(at, text, font=cjk_font(size), fill=colour,
                  stroke_width=1 if bold else 0, stroke_fill=colour)

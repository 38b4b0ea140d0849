"""A ranking as a PNG bar chart: one horizontal bar per entry, the first on top, its points
written at the end of the bar, the reader's own bar in another colour; names in the CJK font
that reports/fonts.py finds, so Chinese names are drawn, not boxes."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reports.fonts import CJK

WIDTH_PX = 900
ROW_PX = 44  # one bar and its gap: 11 bars fit a phone screen
FRAME_PX = 130  # title, subtitle and the axis below the bars
DPI = 100
BAR = (25, 118, 210)  # blue
MINE = (245, 124, 0)  # orange: the reader's own bar stands out
TEXT = (38, 50, 56)
TITLE_PT = 15
LABEL_PT = 12


def ranking_chart(
    title: str, labels: Sequence[str], values: Sequence[int], *, mine: int | None = None,
    subtitle: str = "",
) -> bytes:
    """PNG bytes, WIDTH_PX wide and ROW_PX taller per bar; raises ValueError on no bars or
    labels and values of different lengths."""
    if not labels or len(labels) != len(values):
        raise ValueError("a ranking chart needs as many values as labels, and at least one")
    # matplotlib takes ~0.4 s to import: only the process that draws a chart pays for it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import MaxNLocator

    font = CJK.file
    props = FontProperties(fname=font.path) if font else FontProperties()
    height = FRAME_PX + ROW_PX * len(labels)
    figure = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]  # the first entry on top
    colours = [_rgb(MINE if i == mine else BAR) for i in range(len(labels))]
    bars = axes.barh(rows, values, height=0.66, color=colours, antialiased=False)
    axes.set_yticks(rows, labels=list(labels), fontproperties=props.copy(), fontsize=LABEL_PT)
    top = max(max(values), 1)
    axes.set_xlim(0, top * 1.15)  # room for the numbers at the end of the longest bar
    axes.bar_label(bars, labels=[str(v) for v in values], padding=4, fontsize=LABEL_PT,
                   color=_rgb(TEXT))
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="x", labelsize=9, colors=_rgb(TEXT))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # points are whole: no 2.5
    heading = f"{title}\n{subtitle}" if subtitle else title
    axes.set_title(heading, fontproperties=props.copy(), fontsize=TITLE_PT, color=_rgb(TEXT),
                   loc="left")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _rgb(colour: tuple[int, int, int]) -> tuple[float, float, float]:
    red, green, blue = colour
    return red / 255, green / 255, blue / 255

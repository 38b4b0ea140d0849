"""The monthly report's charts as PNG bytes, drawn with matplotlib's Agg canvas (no display)
in the house style of reports/ranking_chart.py: the CJK font reports/fonts.py finds, so
Chinese labels are drawn, not boxes. Titles and labels come already in the reader's language;
the report's captions say what each chart is, so the charts carry no title of their own."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reports.fonts import CJK

DPI = 110
WIDTH_IN = 7.0
COLOURS = ("#1976d2", "#43a047", "#f57c00", "#8e24aa")  # blue, green, orange, purple
PYRAMID = ("#c62828", "#ef6c00", "#f9a825", "#1976d2")  # lost time on top … hazards below
TEXT = "#263238"
LABEL_PT = 10


def _font() -> Any:
    from matplotlib.font_manager import FontProperties

    found = CJK.file
    return FontProperties(fname=found.path) if found else FontProperties()


def _figure(height_in: float) -> tuple[Any, Any]:
    # matplotlib takes ~0.4 s to import: only the process that draws a report pays for it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT, labelsize=9)
    return figure, axes


def _png(figure: Any) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, facecolor="white")
    return out.getvalue()


def _shown(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def grouped_bars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
                 percent: bool = False) -> bytes:
    """Vertical bars, one group per label and one bar per series, each bar's value on top;
    `percent` for shares 0–1. Raises ValueError with no labels or a series of another
    length."""
    if not labels or any(len(values) != len(labels) for _, values in series):
        raise ValueError("each series needs one value per label, and at least one label")
    font = _font()
    figure, axes = _figure(3.2)
    width = 0.8 / max(len(series), 1)
    top = max((v for _, values in series for v in values), default=0.0)
    for n, (name, values) in enumerate(series):
        places = [i + (n - (len(series) - 1) / 2) * width for i in range(len(labels))]
        bars = axes.bar(places, values, width=width * 0.95, color=COLOURS[n % len(COLOURS)],
                        label=name)
        axes.bar_label(bars, labels=[_shown(v, percent) for v in values], padding=2,
                       fontsize=8, color=TEXT)
    axes.set_xticks(range(len(labels)), labels=list(labels), fontproperties=font,
                    fontsize=LABEL_PT)
    axes.set_ylim(0, (1.0 if percent else max(top, 1.0)) * 1.18)
    if percent:
        axes.yaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
    if len(series) > 1:
        axes.legend(prop=font, fontsize=LABEL_PT, frameon=False)
    return _png(figure)


def horizontal_bars(labels: Sequence[str], values: Sequence[float], *,
                    notes: Sequence[str] = ()) -> bytes:
    """One bar per label, the first on top, each bar's value (and its note, e.g. a change
    against last month) at its end. Raises ValueError with no bars."""
    if not labels or len(labels) != len(values):
        raise ValueError("a bar chart needs as many values as labels, and at least one")
    font = _font()
    figure, axes = _figure(0.9 + 0.36 * len(labels))
    rows = list(range(len(labels)))[::-1]
    bars = axes.barh(rows, values, height=0.62, color=COLOURS[0])
    axes.set_yticks(rows, labels=list(labels), fontproperties=font, fontsize=LABEL_PT)
    shown = [_shown(v, False) + (f"  {notes[i]}" if i < len(notes) and notes[i] else "")
             for i, v in enumerate(values)]
    axes.bar_label(bars, labels=shown, padding=3, fontsize=9, color=TEXT,
                   fontproperties=font)
    axes.set_xlim(0, max(max(values), 1.0) * 1.3)
    return _png(figure)


def pyramid(labels: Sequence[str], values: Sequence[int]) -> bytes:
    """Heinrich's pyramid: one centred bar per level, the first (the gravest) on top, widths
    on a square-root scale so a single injury still shows beside hundreds of hazards."""
    if not labels or len(labels) != len(values):
        raise ValueError("a pyramid needs as many values as labels, and at least one")
    font = _font()
    figure, axes = _figure(0.9 + 0.5 * len(labels))
    widest = max(max(values), 1) ** 0.5
    rows = list(range(len(labels)))[::-1]
    widths = [max(v ** 0.5 / widest, 0.04) for v in values]
    axes.barh(rows, widths, left=[-w / 2 for w in widths], height=0.8,
              color=[PYRAMID[i % len(PYRAMID)] for i in range(len(labels))])
    for row, label, value in zip(rows, labels, values, strict=True):
        axes.text(0.62, row, f"{label}  {value}", va="center", fontproperties=font,
                  fontsize=LABEL_PT, color=TEXT)
    axes.set_xlim(-0.55, 1.6)
    axes.set_axis_off()
    return _png(figure)

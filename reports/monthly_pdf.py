"""The monthly report 《隐患治理分析报告》 as a PDF (fpdf2): a cover with the plant and the
month, then one section per subject with its figures and numbered captions. Chinese is set in
the CJK font reports/fonts.py finds, embedded (subset) so the text can be searched and copied;
charts come from reports/monthly_charts.py as images. Every word comes through `say` (the
catalog in the reader's language) or `Wording`, so the same code writes zh-CN and en."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from fpdf import FPDF

from core.monthly import MonthlyData
from reports import monthly_charts as charts
from reports.fonts import CJK
from reports.ranking_chart import ranking_chart

Say = Callable[..., str]
FONT = "cjk"
MARGIN_MM = 18
BODY_PT = 11
LINE_MM = 6.5
CHART_MM = 170


class NoChineseFont(RuntimeError):
    """No font that draws Chinese is installed (Debian: `apt-get install fonts-wqy-zenhei`)."""


@dataclass(frozen=True)
class Wording:
    """What the report says beyond the catalog: names by id (areas, categories, departments,
    in the reader's language) and each trend warning as one sentence."""

    say: Say
    plant: str
    timezone: str
    names: Mapping[str, str]
    warnings: Sequence[str]


class _Report:
    def __init__(self, words: Wording) -> None:
        found = CJK.file
        if found is None:
            raise NoChineseFont("no Chinese font found: install fonts-wqy-zenhei")
        self.words, self.say = words, words.say
        # fontTools warns on every subset of wqy-zenhei that it drops the bitmap (BDF)
        # table, which a PDF does not use anyway.
        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(MARGIN_MM, MARGIN_MM)
        self.pdf.set_auto_page_break(True, margin=MARGIN_MM)
        self.pdf.add_font(FONT, "", found.path, collection_font_number=found.index)
        self.figures = 0

    def heading(self, key: str) -> None:
        self.pdf.set_font(FONT, size=15)
        self.pdf.ln(3)
        self.pdf.multi_cell(0, 9, self.say(key), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def line(self, text: str) -> None:
        self.pdf.set_font(FONT, size=BODY_PT)
        self.pdf.multi_cell(0, LINE_MM, text, new_x="LMARGIN", new_y="NEXT")

    def figure(self, png: bytes, caption_key: str) -> None:
        """A chart across the page, its numbered caption below it, kept on one page."""
        self.figures += 1
        width_px, height_px = _png_size(png)
        height = CHART_MM * height_px / width_px
        if self.pdf.get_y() + height + 12 > self.pdf.h - MARGIN_MM:
            self.pdf.add_page()
        self.pdf.image(io.BytesIO(png), x=(self.pdf.w - CHART_MM) / 2, w=CHART_MM)
        self.pdf.set_font(FONT, size=9)
        self.pdf.multi_cell(0, 5, self.say("monthly.figure", number=self.figures,
                                           caption=self.say(caption_key)),
                            align="C", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def name(self, key: str) -> str:
        return self.words.names.get(key, key)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header (IHDR), without decoding the image."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def monthly_pdf(data: MonthlyData, words: Wording) -> bytes:
    """The whole report; raises NoChineseFont when no font draws Chinese."""
    report = _Report(words)
    _cover(report, data)
    report.pdf.add_page()
    _overview(report, data)
    _distribution(report, data)
    _timeliness(report, data)
    _index(report, data)
    _warnings(report, data)
    _injuries(report, data)
    return bytes(report.pdf.output())


def _cover(report: _Report, data: MonthlyData) -> None:
    pdf, say = report.pdf, report.say
    pdf.add_page()
    pdf.set_y(90)
    pdf.set_font(FONT, size=26)
    pdf.multi_cell(0, 14, say("monthly.title"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, size=15)
    pdf.multi_cell(0, 9, report.words.plant, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 9, say("monthly.cover_month", month=data.label), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.ln(30)
    pdf.set_font(FONT, size=10)
    local = data.as_of.astimezone(ZoneInfo(report.words.timezone))
    pdf.multi_cell(0, 6, say("monthly.cover_made", time=_stamp(local),
                             zone=report.words.timezone),
                   align="C", new_x="LMARGIN", new_y="NEXT")


def _stamp(local: datetime) -> str:
    return local.strftime("%Y-%m-%d %H:%M")


def _overview(report: _Report, data: MonthlyData) -> None:
    k = data.kpis
    report.heading("monthly.section.overview")
    report.line(report.say("monthly.overview", reported=k.reported,
                           closed=k.by_status.get("closed", 0),
                           per_person=_number(k.reports_per_person),
                           escalations=k.escalations))
    labels = [point.label for point in data.history]
    report.figure(charts.grouped_bars(labels, [
        (report.say("monthly.legend.reported"), [p.reported for p in data.history]),
        (report.say("monthly.legend.closed"), [p.closed for p in data.history]),
    ]), "monthly.caption.history")


def _distribution(report: _Report, data: MonthlyData) -> None:
    report.heading("monthly.section.distribution")
    for counts, caption in ((data.kpis.by_area, "monthly.caption.by_area"),
                            (data.kpis.by_category, "monthly.caption.by_category")):
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            report.line(report.say("monthly.nothing", what=report.say(caption)))
            continue
        report.figure(ranking_chart("", [report.name(key) for key, _ in ranked],
                                    [n for _, n in ranked]), caption)


def _timeliness(report: _Report, data: MonthlyData) -> None:
    k = data.kpis
    report.heading("monthly.section.timeliness")
    report.line(report.say("monthly.times", response_mean=_hours(k.response_hours_mean),
                           response_median=_hours(k.response_hours_median),
                           close_mean=_hours(k.close_hours_mean),
                           close_median=_hours(k.close_hours_median)))
    report.figure(charts.grouped_bars(
        [report.say("monthly.label.response"), report.say("monthly.label.close")],
        [(report.say("monthly.legend.mean"),
          [k.response_hours_mean or 0.0, k.close_hours_mean or 0.0]),
         (report.say("monthly.legend.median"),
          [k.response_hours_median or 0.0, k.close_hours_median or 0.0])]),
        "monthly.caption.times")
    report.line(report.say("monthly.rates", on_time=_share(k.on_time_rate),
                           repeat=_share(k.repeat_rate)))
    report.figure(charts.grouped_bars(
        [report.say("monthly.label.on_time"), report.say("monthly.label.repeat")],
        [("", [k.on_time_rate or 0.0, k.repeat_rate or 0.0])], percent=True),
        "monthly.caption.rates")


def _index(report: _Report, data: MonthlyData) -> None:
    report.heading("monthly.section.index")
    if not data.ranking:
        report.line(report.say("monthly.nothing", what=report.say("monthly.caption.index")))
        return
    notes = ["" if row.change is None else f"({row.change:+.1f})" for row in data.ranking]
    report.figure(charts.horizontal_bars([report.name(row.department) for row in data.ranking],
                                         [row.index for row in data.ranking], notes=notes),
                  "monthly.caption.index")


def _warnings(report: _Report, data: MonthlyData) -> None:
    report.heading("monthly.section.warnings")
    if not report.words.warnings:
        report.line(report.say("monthly.no_warnings"))
    for number, text in enumerate(report.words.warnings, start=1):
        report.line(f"{number}. {text}")
    if report.words.warnings:
        report.line(report.say("monthly.warnings_advice"))


def _injuries(report: _Report, data: MonthlyData) -> None:
    k = data.kpis
    report.heading("monthly.section.safety")
    report.line(report.say("monthly.safe_days",
                           days="-" if k.safe_days is None else k.safe_days,
                           this_year="-" if k.longest_safe_streak_this_year is None
                           else k.longest_safe_streak_this_year,
                           last_year="-" if k.longest_safe_streak_last_year is None
                           else k.longest_safe_streak_last_year))
    report.line(report.say("monthly.rates_injury", ltifr=_number(k.ltifr), trir=_number(k.trir)))
    levels = ("lost_time", "recordable", "first_aid")
    labels = [report.say(f"monthly.level.{level}") for level in levels]
    values = [data.injuries.get(level, 0) for level in levels]
    report.figure(charts.pyramid([*labels, report.say("monthly.level.hazards")],
                                 [*values, k.reported]), "monthly.caption.pyramid")

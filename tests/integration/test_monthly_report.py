"""The monthly report as files: the PDF read back with pypdf (its sections, the month's
figures counted by hand in tests/monthly_data.py, its charts as images, Chinese as text)
and the month's ledger read back with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from bot.monthly_cli import monthly_report, read_month, render_month
from core.monthly import MonthPoint
from tests.chat import Chat, msg
from tests.monthly_data import NOV_END, NOV_START, november, store

AS_OF = NOV_END + timedelta(hours=16)  # 08:00 on 1 December in Shanghai
SECTIONS = ("overview", "distribution", "timeliness", "index", "warnings", "safety")


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    made = Chat(tmp_path, monthly=True)
    with made.app.services.uow() as uow:
        store(uow, november())
    yield made
    made.close()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_month_is_counted_against_the_six_before(chat: Chat) -> None:
    data, tickets, _ = read_month(chat.app.engine, chat.plant, 2026, 11, as_of=AS_OF)
    assert [p.label for p in data.history] == [
        "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert data.history[-2:] == (MonthPoint("2026-10", 3, 1), MonthPoint("2026-11", 11, 3))
    assert data.kpis.by_area == {"STAMP": 7, "WELD": 4}
    assert len(tickets) == 13


def test_the_pdf_has_its_sections_figures_and_chinese_text(chat: Chat) -> None:
    files = render_month(chat.app.engine, chat.plant, 2026, 11, "zh-CN", as_of=AS_OF)
    text = text_of(files.pdf)
    assert "隐患治理分析报告" in text  # Chinese is text in the font, not boxes
    assert chat.plant.name in text and "2026-11" in text
    for section in SECTIONS:
        assert msg("zh-CN", f"monthly.section.{section}") in text
    assert "本月上报有效隐患 11 条，其中已关闭 3 条" in text
    assert "平均响应 2.0 小时" in text  # every ticket acknowledged 2 hours after
    assert msg("zh-CN", "monthly.caption.pyramid") in text
    images = [image for page in PdfReader(io.BytesIO(files.pdf)).pages for image in page.images]
    # History, area, category, times, rates, index ranking and the pyramid.
    assert len(images) == 7
    assert all(image.image is not None and image.image.width > 300 for image in images)
    assert files.pdf_name == "隐患治理分析报告-2026-11.pdf"


def test_the_pdf_speaks_english_when_asked(chat: Chat) -> None:
    files = render_month(chat.app.engine, chat.plant, 2026, 11, "en", as_of=AS_OF)
    text = text_of(files.pdf)
    assert "Hazard Management Analysis Report" in text
    assert "1. Overview" in text and "6. Safe days and the injury pyramid" in text
    assert "Valid hazards reported this month: 11, of which closed: 3" in text
    assert files.pdf_name == "hazard-report-2026-11.pdf"


def test_the_ledger_lists_every_ticket_reported_in_the_month(chat: Chat) -> None:
    files = render_month(chat.app.engine, chat.plant, 2026, 11, "zh-CN", as_of=AS_OF)
    sheet = load_workbook(io.BytesIO(files.xlsx)).worksheets[0]
    codes = {cell for row in sheet.iter_rows(values_only=True) for cell in row
             if isinstance(cell, str) and cell.startswith("HZ-")}
    with chat.app.services.uow() as uow:
        stored = {t.code: t.created_at for t in uow.tickets.all()}
    expected = {code for code, at in stored.items() if NOV_START <= at < NOV_END}
    assert len(expected) == 13
    assert codes == expected
    assert files.xlsx_name == "ledger-2026-11.xlsx"


def test_the_command_writes_both_files_into_the_folder(chat: Chat, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = monthly_report(chat.settings, month="2026-11", out_dir=tmp_path / "out", lang="en",
                          out=out, err=err, now=AS_OF)
    assert code == 0, err.getvalue()
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["hazard-report-2026-11.pdf", "ledger-2026-11.xlsx"]
    assert "13 tickets" in out.getvalue()


@pytest.mark.parametrize(("month", "lang", "complaint"), [
    ("2026-13", None, "YYYY-MM"), ("November", None, "YYYY-MM"), ("2026-11", "fr", "--lang"),
])
def test_a_bad_argument_is_named_and_nothing_is_written(
    chat: Chat, tmp_path: Path, month: str, lang: str | None, complaint: str,
) -> None:
    err = io.StringIO()
    code = monthly_report(chat.settings, month=month, out_dir=tmp_path / "out", lang=lang,
                          out=io.StringIO(), err=err, now=AS_OF)
    assert code == 2 and complaint in err.getvalue()
    assert not (tmp_path / "out").exists()

"""The monthly report goes out by itself at 08:00 plant time on the 1st, once, to the safety
manager, the plant manager and the department heads; `/report YYYY-MM` sends it on request;
`/report` alone is still the hazard report."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.app import build_app
from bot.shell import shell_channels
from core.blobs import StoredFile
from core.monthly import MonthlyFiles
from handlers.context import Services
from scheduler.monthly_jobs import send_monthly_reports
from tests.chat import Chat, msg
from tests.monthly_data import november, store

ZH = "zh-CN"
SEVEN = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 07:00 on 1 December in Shanghai
MANAGERS = ("PM", "SM", "DH-EQUIP", "DH-PROD")
PDF_NAME = "隐患治理分析报告-2026-11.pdf"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    made = Chat(tmp_path, start=SEVEN, monthly=True)
    with made.app.services.uow() as uow:
        store(uow, november())
    yield made
    made.close()


def files_said(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("📎")]


def test_the_managers_receive_report_and_ledger_once_at_eight_on_the_first(
    chat: Chat, tmp_path: Path,
) -> None:
    early = chat.run("SO1", "!wait 59m")  # 07:59
    assert not any(files_said(early.of(person)) for person in MANAGERS)
    said = chat.run("SO1", "!wait 2m")
    for person in MANAGERS:
        assert msg(ZH, "monthly.sent", plant=chat.plant.name, month="2026-11") in said.of(person)
        assert [line.split(" (")[0] for line in files_said(said.of(person))] == [
            f"📎 {PDF_NAME}", "📎 ledger-2026-11.xlsx"]
    assert not said.of("W01") and not said.of("SO1")  # workers and officers are not sent it
    pdf = (tmp_path / "data" / "files" / PDF_NAME).read_bytes()
    assert "隐患治理分析报告" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    again = chat.run("SO1", "!wait 1h")
    restarted = chat.restart()
    try:
        after = restarted.run("SO1", "!wait 1d")
    finally:
        restarted.close()
    assert not files_said(again.lines) and not files_said(after.lines)


class Racing:
    """Draws, then lets another process send the same month before this one commits."""

    def __init__(self, inner: MonthlyFiles, other: Services) -> None:
        self.inner, self.other, self.raced = inner, other, 0

    def render(self, year: int, month: int, lang: str) -> tuple[StoredFile, StoredFile]:
        drawn = self.inner.render(year, month, lang)
        if not self.raced:
            self.raced = send_monthly_reports(self.other)
        return drawn


def test_two_processes_at_eight_send_it_once(chat: Chat) -> None:
    second = build_app(chat.settings, channels=shell_channels(chat.settings, chat.terminal),
                       clock=chat.clock, plant=chat.plant)
    try:
        chat.clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))  # 08:00 in Shanghai
        first = chat.app.services
        assert first.monthly is not None
        racing = Racing(first.monthly, second.services)
        first.monthly = racing
        assert send_monthly_reports(first) == 0  # the other process kept the month first
        assert racing.raced == 2 * len(MANAGERS)
        assert send_monthly_reports(second.services) == 0
        said = chat.deliver()
    finally:
        second.engine.dispose()
    for person in MANAGERS:
        assert len(files_said(said.of(person))) == 2


def test_a_month_asked_for_arrives_as_both_files(chat: Chat) -> None:
    asked = chat.run("SM", "/report 2026-11")
    assert asked.of("SM") == [msg(ZH, "monthly.requested", month="2026-11")]
    twice = chat.run("SM", "/report 2026-11")
    assert twice.of("SM") == [msg(ZH, "monthly.already_requested", month="2026-11")]
    said = chat.run("SM", "!wait 1m")
    assert [line.split(" (")[0] for line in files_said(said.of("SM"))] == [
        f"📎 {PDF_NAME}", "📎 ledger-2026-11.xlsx"]
    assert not any(files_said(said.of(person)) for person in MANAGERS if person != "SM")


def test_a_safety_officer_may_ask_in_english(chat: Chat) -> None:
    chat.run("SO1", "/lang en")
    assert chat.run("SO1", "/report 2026-10").of("SO1") == [
        msg("en", "monthly.requested", month="2026-10")]
    said = chat.run("SO1", "!wait 1m")
    assert [line.split(" (")[0] for line in files_said(said.of("SO1"))] == [
        "📎 hazard-report-2026-10.pdf", "📎 ledger-2026-10.xlsx"]


def test_a_worker_asking_for_a_month_is_refused_and_nothing_is_kept(chat: Chat) -> None:
    said = chat.run("W01", "/report 2026-11")
    assert said.of("W01") == [msg(ZH, "monthly.not_allowed")]
    with chat.app.services.uow() as uow:
        assert uow.monthly_reports.pending() == []


def test_a_month_not_begun_is_refused(chat: Chat) -> None:
    said = chat.run("SM", "/report 2027-01")
    assert said.of("SM") == [msg(ZH, "monthly.future", month="2027-01", example="2026-11")]


def test_report_alone_or_with_other_words_still_starts_a_hazard_report(tmp_path: Path) -> None:
    plain = Chat(tmp_path / "plain")
    try:
        expected = plain.run("SM", "/report").of("SM")
    finally:
        plain.close()
    for words in ("/report", "/report 漏油", "/report 2026-1"):
        other = Chat(tmp_path / words.replace("/", "").replace(" ", "_"), monthly=True)
        try:
            assert other.run("SM", words).of("SM") == expected, words
        finally:
            other.close()


def test_a_request_kept_before_a_restart_is_still_sent_once(chat: Chat) -> None:
    chat.run("DH-PROD", "/report 2026-11")
    restarted = chat.restart()
    try:
        said = restarted.run("DH-PROD", "!wait 1m")
        again = restarted.run("DH-PROD", "!wait 1m")
    finally:
        restarted.close()
    assert len(files_said(said.of("DH-PROD"))) == 2
    assert not files_said(again.lines)

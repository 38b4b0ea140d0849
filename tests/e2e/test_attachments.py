"""A file sent to a person (a PDF report) arrives as a file on every channel, under its name:
a document on Telegram, a file media upload on WeCom, a file in the shell's data directory."""

from __future__ import annotations

from pathlib import Path

from core.blobs import StoredFile
from core.messages import OutMessage
from handlers.context import Notifier, Services
from tests.chat import Chat
from tests.e2e.telegram_harness import running
from tests.fakes.wecom_rig import W01, rig

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       + b"% padding to a dozen kilobytes\n" * 400 + b"trailer << /Root 1 0 R >>\n%%EOF\n")
NAME = "隐患月报 2026-11.pdf"
TEXT = "📊 11 月隐患月报"


def kept(services: Services) -> StoredFile:
    return services.blobs.put(PDF, name=NAME)


def queue(services: Services, message: OutMessage) -> None:
    with services.uow() as uow:
        uow.outbox.put(message, services.clock.now())
        uow.commit()


def test_the_shell_prints_the_file_and_keeps_it_in_its_data_directory(tmp_path: Path) -> None:
    chat = Chat(tmp_path)
    try:
        with chat.app.services.uow() as uow:
            # As a module would: to a person, on the channel that reaches them.
            Notifier(chat.app.services, uow).to_person(
                "SM", "points.balance", balance=0, attachment=kept(chat.app.services))
            uow.commit()
        said = chat.deliver()
    finally:
        chat.close()
    assert said.of("SM")[-1] == f"📎 {NAME} ({-(-len(PDF) // 1024)} KB)"
    assert (tmp_path / "data" / "files" / NAME).read_bytes() == PDF


def test_two_files_of_one_name_are_both_kept(tmp_path: Path) -> None:
    chat = Chat(tmp_path)
    try:
        services = chat.app.services
        first = services.blobs.put(b"%PDF-1.4 first", name="report.pdf")
        second = services.blobs.put(b"%PDF-1.4 second", name="report.pdf")
        for stored in (first, second, first):
            queue(services, OutMessage("terminal", "SM", "", person="SM", attachment=stored))
        said = chat.deliver()
    finally:
        chat.close()
    assert said.of("SM") == ["📎 report.pdf (1 KB)"] * 3
    files = sorted(p.name for p in (tmp_path / "data" / "files").iterdir())
    assert files == ["report (2).pdf", "report.pdf"]


async def test_telegram_gets_the_file_as_a_document_with_its_name(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        _, chat = h.dm("SM")
        services = h.app.services
        queue(services, OutMessage("telegram", str(chat.id), TEXT, person="SM",
                                   attachment=kept(services)))
        h.app.worker.wake()
        sent = await h.said(chat, TEXT)
        assert sent["caption"] == TEXT
        assert sent["document"]["file_name"] == NAME
        assert h.tg.file_bytes(sent["document"]["file_id"]) == PDF
        assert "sendDocument" in h.tg.calls


async def test_wecom_uploads_the_file_as_file_media_and_sends_it_by_its_name(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path, groups=False) as r:
        services = r.app.services
        queue(services, OutMessage("wecom", W01, TEXT, person="W01", attachment=kept(services)))
        await r.app.worker.drain()
        sent = r.fake.sent[W01]
        assert [s.msgtype for s in sent] == ["text", "file"]
        assert sent[0].payload["text"]["content"] == TEXT
        media_id = sent[1].payload["file"]["media_id"]
        assert r.fake.media[media_id] == (PDF, "application/pdf", NAME)

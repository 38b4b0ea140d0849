"""The e-mail channel against a real SMTP server (aiosmtpd): what arrives, and each failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels import email
from bot.channels.base import RetryLater, Undeliverable
from bot.channels.email.channel import EmailChannel
from bot.settings import Settings
from core.messages import Button, OutMessage
from storage.blobs import FileBlobStore
from tests.fakes.smtp_server import MailServer

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CARD = (
    "⚠️ 已超时升级（第 1 级）：请跟进\n"
    "HZ-20261130-0001 · 主轴防护罩破损，铁屑飞溅\n责任班组：机修班"
)


def channel_for(server: MailServer, **more: str) -> EmailChannel:
    made = email.sender(Settings.from_env({**server.env, **more}))
    assert made is not None
    return made


def escalation(address: str = "zhang.wei@example.com", **more: object) -> OutMessage:
    fields: dict[str, object] = {
        "person": "DH-EQUIP", "ticket": "HZ-20261130-0001", "lang": "zh-CN",
        "buttons": (Button("接收", "t:HZ-20261130-0001:accept"),), **more,
    }
    return OutMessage("email", address, CARD, **fields)  # type: ignore[arg-type]


async def test_a_notice_arrives_with_its_subject_chinese_text_html_and_the_ticket_code() -> None:
    with MailServer() as server:
        message_id = await channel_for(server).send(escalation(), None)
        [mail] = server.mails
    assert mail.recipients == ["zhang.wei@example.com"]
    assert mail["To"] == "zhang.wei@example.com"
    assert mail["From"] == "SafetyLoop 安全助手 <safety@plant.example>"
    assert mail["Subject"] == "[HZ-20261130-0001] ⚠️ 已超时升级（第 1 级）：请跟进"
    assert mail["Message-ID"] == message_id
    assert "主轴防护罩破损，铁屑飞溅" in mail.text()
    assert "接收" in mail.text(), "the buttons are named, with where to press them"
    assert "HZ-20261130-0001 · 主轴防护罩破损" in mail.html()


async def test_the_photo_is_shown_inside_the_html_and_a_pdf_is_attached_by_its_name(
    tmp_path: Path,
) -> None:
    stored = FileBlobStore(tmp_path).put(PDF, name="隐患月报 2026-11.pdf")
    message = escalation(attachment=stored)
    with MailServer() as server:
        await channel_for(server).send(message, b"\xff\xd8\xff\xe0 a jpeg", PDF)
        [mail] = server.mails
    assert mail.files() == {"隐患月报 2026-11.pdf": PDF}
    assert 'src="cid:' in mail.html()
    inline = [p for p in mail.message.walk() if p.get("Content-ID")]
    assert [p.get_content_type() for p in inline] == ["image/jpeg"]


async def test_a_server_that_is_down_means_try_again_later() -> None:
    server = MailServer(started=False)
    with pytest.raises(RetryLater):
        await channel_for(server).send(escalation(), None)


async def test_a_busy_server_saying_451_means_try_again_later() -> None:
    with MailServer() as server:
        server.defer_next = 1
        with pytest.raises(RetryLater):
            await channel_for(server).send(escalation(), None)
        await channel_for(server).send(escalation(), None)
        assert len(server.mails) == 1


async def test_an_address_the_server_does_not_know_is_undeliverable() -> None:
    with MailServer() as server:
        server.unknown.add("nobody@example.com")
        with pytest.raises(Undeliverable):
            await channel_for(server).send(escalation("nobody@example.com"), None)
        assert server.mails == []


@pytest.mark.parametrize("address", ["zhangwei", "a@b", "x@example.com\nBcc: all@example.com"])
async def test_what_is_not_an_address_is_undeliverable_without_asking_the_server(
    address: str,
) -> None:
    with MailServer() as server:
        with pytest.raises(Undeliverable):
            await channel_for(server).send(escalation(address), None)
        assert server.attempts == 0


def test_without_smtp_host_there_is_no_mail_channel() -> None:
    assert email.sender(Settings.from_env({})) is None
    assert email.plugin(Settings.from_env({"SMTP_PORT": "25"})) is None


@pytest.mark.parametrize(("name", "value"), [("SMTP_TLS", "ssl3"), ("SMTP_PORT", "99999")])
def test_a_bad_smtp_setting_is_named_without_its_value(name: str, value: str) -> None:
    environ = {"SMTP_HOST": "mail.example.com", "SMTP_FROM": "a@example.com", name: value}
    with pytest.raises(SystemExit) as stopped:
        email.sender(Settings.from_env(environ))
    assert name in str(stopped.value)
    assert value not in str(stopped.value)


def test_smtp_host_without_a_sender_address_is_refused_at_start() -> None:
    with pytest.raises(SystemExit, match="SMTP_FROM"):
        email.sender(Settings.from_env({"SMTP_HOST": "mail.example.com"}))

"""A neutral message written as a mail: its subject line, its text and HTML, its files."""

from __future__ import annotations

from bot.channels.email.compose import SUBJECT_CHARS, compose, subject_of
from core.blobs import StoredFile
from core.messages import Button, OutMessage
from handlers.i18n import t

REPORT = StoredFile(key="0" * 64, name="隐患月报.pdf", mime="application/pdf", size=3)


def test_the_subject_is_the_first_line_with_the_ticket_code_in_front_unless_it_is_there() -> None:
    first_line = OutMessage("email", "a@x.cn", "\n 超时 \n详情", ticket="HZ-1")
    assert subject_of(first_line) == "[HZ-1] 超时"
    assert subject_of(OutMessage("email", "a@x.cn", "HZ-1 超时", ticket="HZ-1")) == "HZ-1 超时"
    assert subject_of(OutMessage("email", "a@x.cn", "积分变动")) == "积分变动"


def test_a_long_first_line_is_cut_and_a_file_alone_is_named_by_the_file() -> None:
    long = subject_of(OutMessage("email", "a@x.cn", "长" * 500))
    assert len(long) == SUBJECT_CHARS and long.endswith("…")
    assert subject_of(OutMessage("email", "a@x.cn", "", attachment=REPORT)) == "隐患月报.pdf"


def test_links_stay_links_and_buttons_are_named_with_where_to_press_them() -> None:
    message = OutMessage(
        "email", "a@x.cn", "请处理 <HZ-1>", lang="en",
        buttons=(Button("Open", "url:https://plant.example/t/1?a=1&b=2"),
                 Button("Accept", "t:HZ-1:accept"), Button("Reject", "t:HZ-1:reject")),
    )
    mail = compose(message)
    footer = t("en", "email.act_in_chat", actions="Accept · Reject")
    assert mail.text == f"请处理 <HZ-1>\nOpen: https://plant.example/t/1?a=1&b=2\n\n{footer}\n"
    assert mail.html is not None
    assert "请处理 &lt;HZ-1&gt;" in mail.html
    assert '<a href="https://plant.example/t/1?a=1&amp;b=2">Open</a>' in mail.html
    assert mail.files == ()


def test_the_photo_goes_inside_the_html_and_the_file_is_attached() -> None:
    message = OutMessage("email", "a@x.cn", "月报", ticket="HZ-1", attachment=REPORT)
    mail = compose(message, b"\x89PNG\r\n", b"PDF")
    picture, report = mail.files
    assert (picture.name, picture.mime, picture.content_id is not None) == (
        "HZ-1.png", "image/png", True)
    assert mail.html is not None and f"cid:{picture.content_id}" in mail.html
    assert (report.name, report.mime, report.data, report.content_id) == (
        "隐患月报.pdf", "application/pdf", b"PDF", None)

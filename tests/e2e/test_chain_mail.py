"""Late cross-department work reaches the late holder's superior by one warning e-mail.

The mail server is a real one (aiosmtpd) on 127.0.0.1. The whole scenario of the pilot
plant runs once through `safetyloop shell` in its own process; the outage runs in-process,
where the server can be started halfway.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.chat import Chat
from tests.e2e.shell import Plant, lines_for
from tests.e2e.test_chain_conversations import report_cabinet
from tests.fakes.smtp_server import MailServer, Received

SUPERIOR_OF_DH_PROD = "wang.jianguo@example.com"  # SM in the demo plant
SUBJECT = "⚠️ 联合处置逾期预警：生产部 · 调整生产计划 未按时确认接收"


def steps_on_time(photo: Path, after: Path) -> list[str]:
    """The report, then safety and equipment on time; production never answers."""
    return [
        "/report", f"!photo {photo}", "!press 1", "!press 1", "DB-STAMP-1",
        "配电柜冒烟，有焦味", "!press 1", "!press 2", "!press 1",
        "!as SO1", "!press 确认接收", "!press 2 小时", "!press 已完成", "已评估：需立即断电检修",
        "!as TL-ELEC", "!press 确认接收", "3h", "!press 已完成", f"!photo {after}",
    ]


def check_warning(mail: Received, code: str, due: str) -> None:
    assert mail.recipients == [SUPERIOR_OF_DH_PROD]
    assert mail["Subject"] == f"[{code}] {SUBJECT}"
    text, html = mail.text(), mail.html()
    for part in (text, html):
        assert code in part and "生产部 · 调整生产计划" in part and "赵磊 (DH-PROD)" in part
        assert f"应确认时间：{due}" in part  # reported + the step's 4 h, in the plant's zone
        assert "已逾期 1.0 小时" in part
        assert "http" not in part, "no links in a warning"
    assert "<br>" in html and "配电柜异常联合处置" in html


@pytest.fixture
def chats() -> Iterator[list[Chat]]:
    made: list[Chat] = []
    yield made
    for chat in made:
        chat.close()


def test_the_shell_runs_the_cabinet_chain_and_production_late_warns_its_superior_once(
    tmp_path: Path,
) -> None:
    """End to end: `safetyloop shell` in its own process, SMTP_* in its environment."""
    with MailServer() as server:
        plant = Plant(tmp_path, settings=server.env)
        photo = plant.photo("cabinet.jpg", (200, 40, 40))
        after = plant.photo("fixed.jpg", (40, 200, 40))
        script = [*steps_on_time(photo, after),
                  "!as W01", "!wait 3h59m", "!wait 1m", "!wait 1h", "!wait 1d",
                  "!as SM", "/board"]
        done = plant.shell("W01", "\n".join(script) + "\n")
        assert done.returncode == 0, done.stderr

        [ticket] = plant.tickets()
        code, reported = ticket["code"], datetime.fromisoformat(ticket["created_at"])
        [mail] = server.mails
        check_warning(mail, code, (reported + timedelta(hours=4)).strftime("%m-%d %H:%M"))
        board = lines_for(done.stdout, "SM")
        production = next(line for line in board if "生产部" in line)
        assert "待确认 · 逾期" in production
        assert any("断电检修" in line and "已完成" in line for line in board)
        reminded = lines_for(done.stdout, "DH-PROD")
        assert sum(line.startswith("⏰") for line in reminded) == 1


def test_the_warning_arrives_once_when_the_mail_server_was_down_at_first(
    tmp_path: Path, chats: list[Chat],
) -> None:
    with MailServer(started=False) as server:
        chat = Chat(tmp_path, env=server.env)
        chats.append(chat)
        code = report_cabinet(chat).code
        chat.run("SO1", "!press 确认接收", "!press 2 小时", "!press 已完成", "已评估")
        chat.run("W01", "!wait 5h", "!wait 1m", "!wait 1m")
        assert server.mails == []
        server.start()
        chat.run("W01", "!wait 1m", "!wait 1m", "!wait 10m", "!wait 1d")
        [mail] = server.to(SUPERIOR_OF_DH_PROD)
        check_warning(mail, code, "11-30 13:00")


def test_a_busy_mail_server_delays_the_warning_but_sends_it_once(
    tmp_path: Path, chats: list[Chat],
) -> None:
    with MailServer() as server:
        server.defer_next = 2
        chat = Chat(tmp_path, env=server.env)
        chats.append(chat)
        code = report_cabinet(chat).code
        chat.run("SO1", "!press 确认接收", "!press 2 小时", "!press 已完成", "已评估")
        chat.run("W01", "!wait 5h", "!wait 1m", "!wait 1m", "!wait 10m", "!wait 1d")
        assert server.attempts >= 3
        [mail] = server.to(SUPERIOR_OF_DH_PROD)
        check_warning(mail, code, "11-30 13:00")

"""Managers live in e-mail: a late ticket's escalation reaches the rung above by mail too.

The mail server is a real one (aiosmtpd) on 127.0.0.1; the conversations run in-process,
and once through `safetyloop shell` to prove the command line sends mail when
`SMTP_HOST` is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat import DEMO_PLANT, Chat, msg
from tests.e2e.shell import Plant
from tests.e2e.test_shell_loop import escalation_levels, report_script
from tests.fakes.smtp_server import MailServer

ZH = "zh-CN"


@pytest.fixture
def server() -> Iterator[MailServer]:
    with MailServer() as running:
        yield running


@pytest.fixture
def chats() -> Iterator[list[Chat]]:
    """Chats to close after the test, whatever its outcome."""
    made: list[Chat] = []
    yield made
    for chat in made:
        chat.close()


def address_of(chat: Chat, person: str) -> str:
    found = chat.plant.person(person)
    assert found is not None
    return found.accounts["email"]


def test_a_late_tickets_escalation_reaches_the_department_head_by_mail_once(
    tmp_path: Path, server: MailServer, chats: list[Chat],
) -> None:
    chat = Chat(tmp_path, env=server.env)
    chats.append(chat)
    code = chat.report(urgency=1).code
    said = chat.run("W01", "!wait 25h", "!wait 1h")

    assert escalation_levels(said, "DH-EQUIP") == [1], "the chat still gets it"
    [mail] = server.mails
    assert mail.recipients == [address_of(chat, "DH-EQUIP")]
    assert code in mail["Subject"]
    assert mail["Subject"].endswith(msg(ZH, "ticket.escalated", level=1, card="").splitlines()[0])
    assert code in mail.text() and "CNC-07" in mail.text()


@pytest.mark.parametrize("trouble", ["down", "busy"])
def test_the_mail_arrives_once_when_the_server_failed_the_first_tries(
    tmp_path: Path, trouble: str, chats: list[Chat],
) -> None:
    with MailServer(started=trouble != "down") as server:
        server.defer_next = 2 if trouble == "busy" else 0
        chat = Chat(tmp_path, env=server.env)
        chats.append(chat)
        chat.report(urgency=1)
        chat.run("W01", "!wait 25h", "!wait 1m")
        assert server.mails == []
        if trouble == "down":
            server.start()
        chat.run("W01", "!wait 1m", "!wait 1m", "!wait 10m")
        [mail] = server.mails
        assert mail.recipients == [address_of(chat, "DH-EQUIP")]


def test_escalation_email_false_keeps_the_notice_out_of_the_mailbox(
    tmp_path: Path, server: MailServer, chats: list[Chat],
) -> None:
    ladder = "escalation:\n  - {role: department_head, window: 4h}\n  - {role: safety_manager}\n"
    text = DEMO_PLANT.read_text(encoding="utf-8")
    assert ladder in text
    plant_file = tmp_path / "plant.yaml"
    plant_file.write_text(text.replace(ladder, (
        "escalation:\n  email: false\n  ladder:\n"
        "    - {role: department_head, window: 4h}\n    - {role: safety_manager}\n"
    )), encoding="utf-8")
    chat = Chat(tmp_path, plant_file=plant_file, env=server.env)
    chats.append(chat)
    chat.report(urgency=1)
    said = chat.run("W01", "!wait 25h", "!wait 5h")

    assert escalation_levels(said, "DH-EQUIP") == [1] and escalation_levels(said, "SM") == [2]
    assert server.mails == []


def test_the_shell_sends_the_escalation_mail_when_smtp_host_is_set(
    tmp_path: Path, server: MailServer,
) -> None:
    """End to end: `safetyloop shell` in its own process, with SMTP_* in its environment."""
    plant = Plant(tmp_path, settings=server.env)
    done = plant.shell("W01", report_script(plant, urgency=1) + "!wait 25h\n")
    assert done.returncode == 0, done.stderr

    [ticket] = plant.tickets()
    [mail] = server.mails
    assert mail.recipients == ["zhang.wei@example.com"]  # DH-EQUIP in the demo plant
    assert ticket["code"] in mail["Subject"] and ticket["code"] in mail.text()

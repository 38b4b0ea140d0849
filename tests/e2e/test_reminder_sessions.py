"""Reminders and escalation people can trust, in scripted sessions on the simulated clock:
each reminder, escalation and digest arrives exactly once, at its time (in-process).

The demo plant's quiet hours are 22:00-07:00 and DH-EQUIP reads a digest at 08:00; the
sessions start on Monday 30 November 2026 at 09:00 in Suzhou.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.buttons import TicketButton, encode
from core.events import TicketOpened
from core.plant import Severity
from core.services import OpenTicket, open_ticket
from core.tickets import Action, Status
from tests.chat import DEMO_PLANT, START, Chat, Said, msg, msg_until

ZH = "zh-CN"
GENERAL, SERIOUS = 1, 2  # the urgency buttons; critical tickets come from sensor alarms
HOUR = timedelta(hours=1)
# A second hazard at CNC-07 that is no duplicate of the first: housekeeping, another photo.
ANOTHER: dict[str, Any] = {"category": 5, "colour": (20, 20, 200)}


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def count(said: Said, person: str, key: str, field: str | None = None, **values: object) -> int:
    """How many messages `person` got that open as the catalog's `key` does (up to `field`,
    a value the test does not pin down, or the first line)."""
    if field is None:
        head = msg(ZH, key, **values, card="").splitlines()[0]
        return sum(line == head for line in said.of(person))
    head = msg_until(ZH, key, field, **{"card": "", **values})
    return sum(line.startswith(head) for line in said.of(person))


def press(action: Action, code: str) -> str:
    """The line that presses a ticket's button, wherever the card with it was printed."""
    return f"!button {encode(TicketButton(action, code))}"


def alarm(chat: Chat) -> str:
    """A critical ticket, opened as a sensor alarm opens one (not from the chat), delivered."""
    services = chat.app.services
    with services.uow() as uow:
        [opened] = open_ticket(
            OpenTicket(reporter="SO1", area="MACH", category="mechanical",
                       urgency=Severity.CRITICAL, description="主轴振动超限", photos=(),
                       equipment="CNC-07"),
            uow=uow, plant=services.plant, clock=services.clock)
        uow.commit()
    chat.deliver()
    assert isinstance(opened, TicketOpened)
    return opened.code


def about(said: Said, person: str, code: str) -> list[str]:
    """The lines `person` got that name the ticket (other work, rounds say, is not ours)."""
    return [line for line in said.of(person) if code in line]


def reminders(said: Said, person: str, code: str) -> int:
    return count(said, person, "ticket.reminder", "due", code=code)


def repeats(said: Said, person: str, code: str) -> int:
    return count(said, person, "ticket.reminder_repeat", code=code, level=2)


def escalations(said: Said, person: str, level: int) -> int:
    return count(said, person, "ticket.escalated", level=level)


def test_a_serious_ticket_reminds_at_75_percent_then_climbs_rung_by_rung_each_once(
    chat: Chat,
) -> None:
    code = chat.report(urgency=SERIOUS).code  # 09:00, acknowledge within 4 h

    said = chat.run("W01", "!wait 2h59m")
    assert reminders(said, "TL-MECH", code) == 0
    said = chat.run("W01", "!wait 1m")  # 12:00: 75 % of the 4 h
    assert reminders(said, "TL-MECH", code) == 1
    assert msg(ZH, "ticket.reminder", code=code, due="11-30 13:00", card="").splitlines()[0] \
        in said.of("TL-MECH")
    assert about(said, "DH-EQUIP", code) == [] and about(said, "SM", code) == []

    said = chat.run("W01", "!wait 59m", "!wait 1m")  # 13:00: the deadline
    assert escalations(said, "DH-EQUIP", 1) == 1
    assert reminders(said, "TL-MECH", code) == 0 and about(said, "SM", code) == []

    said = chat.run("W01", "!wait 3h")  # 16:00: 75 % of the department head's 4 h
    assert reminders(said, "DH-EQUIP", code) == 1, "a serious ticket is never digested"
    assert escalations(said, "DH-EQUIP", 1) == 0

    said = chat.run("W01", "!wait 1h")  # 17:00: the next rung after its window
    assert escalations(said, "SM", 2) == 1
    assert about(said, "DH-EQUIP", code) == [] and reminders(said, "SM", code) == 0


def test_a_critical_ticket_tells_every_rung_at_once(chat: Chat) -> None:
    code = alarm(chat)  # acknowledge within 15 min
    said = chat.run("W01", "!wait 15m")
    for person in ("DH-EQUIP", "SM"):
        assert count(said, person, "ticket.escalated_all", level=2) == 1, person
        assert escalations(said, person, 1) + escalations(said, person, 2) == 0
    assert reminders(said, "TL-MECH", code) == 1, "the lead heard at 75 % first"
    assert count(said, "TL-MECH", "ticket.escalated_lead", "to", code=code, level=2) == 1
    assert chat.ticket(code).escalation_level == 2
    said = chat.run("W01", "!wait 23h")
    assert about(said, "DH-EQUIP", code) == [] and about(said, "SM", code) == [], (
        "told once, then quiet a day")


def test_the_top_rung_hears_every_24_hours_until_someone_acts(chat: Chat) -> None:
    code = chat.report(urgency=GENERAL).code
    said = chat.run("W01", "!wait 28h")  # Tuesday 13:00: up to the safety manager
    assert escalations(said, "SM", 2) == 1

    said = chat.run("W01", "!wait 48h")  # Wednesday and Thursday 13:00
    assert repeats(said, "SM", code) == 2
    assert escalations(said, "SM", 2) == 0 and about(said, "DH-EQUIP", code) == []

    chat.run("TL-MECH", press(Action.ACCEPT, code))  # someone acts
    assert chat.ticket(code).status is Status.ACKNOWLEDGED
    said = chat.run("W01", "!wait 72h")
    assert repeats(said, "SM", code) == 0


def test_a_general_reminder_due_at_three_in_the_night_waits_until_seven(chat: Chat) -> None:
    code = chat.report(urgency=GENERAL).code  # 09:00: 75 % of 24 h falls at 03:00
    said = chat.run("W01", "!wait 17h59m", "!wait 2m", "!wait 3h58m")  # to 06:59
    assert reminders(said, "TL-MECH", code) == 0
    said = chat.run("W01", "!wait 1m")  # 07:00, the end of the quiet hours
    assert reminders(said, "TL-MECH", code) == 1
    said = chat.run("W01", "!wait 1h59m")
    assert reminders(said, "TL-MECH", code) == 0
    said = chat.run("W01", "!wait 1m")  # 09:00: escalations are not held
    assert escalations(said, "DH-EQUIP", 1) == 1


def test_the_digest_reader_gets_one_digest_at_eight_instead_of_the_reminder(
    chat: Chat,
) -> None:
    chat.run("W01", "!wait 19h30m")  # Tuesday 04:30
    code = chat.report(urgency=GENERAL).code
    said = chat.run("W01", "!wait 24h")  # Wednesday 04:30: up to DH-EQUIP, a digest reader
    assert escalations(said, "DH-EQUIP", 1) == 1
    said = chat.run("W01", "!wait 3h15m")  # 07:30, 75 % of the head's window: gathered
    assert reminders(said, "DH-EQUIP", code) == 0 and about(said, "DH-EQUIP", code) == []

    chat = chat.restart()  # the digest does not live in memory
    said = chat.run("W01", "!wait 15m")  # 08:00
    assert count(said, "DH-EQUIP", "digest.body", "count", day="2026-12-02", tickets="") == 1
    assert any(code in line for line in said.of("DH-EQUIP"))

    chat = chat.restart()
    said = chat.run("W01", "!wait 1m", "!wait 24h")
    for day in ("2026-12-02", "2026-12-03"):  # not again, and none the next day: none left
        assert count(said, "DH-EQUIP", "digest.body", "count", day=day, tickets="") == 0
    chat.close()


def test_a_reminder_dies_with_its_step_when_the_lead_accepts_or_hands_over(chat: Chat) -> None:
    accepted = chat.report(urgency=SERIOUS).code
    handed = chat.report(urgency=SERIOUS, **ANOTHER).code
    chat.run("W01", "!wait 2h")  # 11:00; both would be reminded at 12:00
    chat.run("TL-MECH", press(Action.ACCEPT, accepted), press(Action.REASSIGN, handed),
             "!press 电气维修班")
    assert (chat.ticket(accepted).status, chat.ticket(handed).team) == (
        Status.ACKNOWLEDGED, "ELEC")
    said = chat.run("W01", "!wait 1h15m")
    assert reminders(said, "TL-MECH", accepted) == 0
    assert reminders(said, "TL-MECH", handed) + reminders(said, "TL-ELEC", handed) == 0
    said = chat.run("W01", "!wait 1h45m")  # 14:00: 75 % of the electricians' fresh 4 h
    assert reminders(said, "TL-ELEC", handed) == 1 and reminders(said, "TL-MECH", handed) == 0


def test_editing_the_reminder_share_leaves_a_running_ticket_at_its_own(tmp_path: Path) -> None:
    plant_file = tmp_path / "plant.yaml"
    shutil.copy(DEMO_PLANT, plant_file)
    chat = Chat(tmp_path, plant_file=plant_file)
    old = chat.report(urgency=SERIOUS).code
    text = plant_file.read_text(encoding="utf-8")
    plant_file.write_text(text.replace("  at: 75%\n", "  at: 50%\n"), encoding="utf-8")
    chat = chat.restart()  # a new process reads the edited plant.yaml
    new = chat.report(urgency=SERIOUS, **ANOTHER).code

    assert chat.ticket(old).remind_at == START + 3 * HOUR
    assert chat.ticket(new).remind_at == START + 2 * HOUR
    said = chat.run("W01", "!wait 2h")
    assert (reminders(said, "TL-MECH", new), reminders(said, "TL-MECH", old)) == (1, 0)
    said = chat.run("W01", "!wait 1h")
    assert (reminders(said, "TL-MECH", new), reminders(said, "TL-MECH", old)) == (0, 1)
    chat.close()

"""/todo, /open and a /help that fits the asker: what officers and leads reach for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.events import TicketOpened
from core.plant import Severity
from core.services import OpenTicket, open_ticket
from core.tickets import Status, Ticket
from storage.uow import SqlUnitOfWork
from tests.chat import Chat, Said, msg

ZH = "zh-CN"
GENERAL = 1  # the urgency button of a general hazard: 24 h to respond, 7 days to fix


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def report(chat: Chat, number: int, *, category: int = 2) -> Ticket:
    """A general report with a photo of its own colour, so that no two share a photo."""
    colour = (10 + 17 * number % 240, 200 - 13 * number % 190, 40 + 29 * number % 200)
    return chat.report(colour=colour, urgency=GENERAL, category=category)


def file_quietly(chat: Chat, number: int) -> str:
    """A ticket opened without the report dialog and without telling anyone (a unit of work
    with no subscribers): many tickets in little time, for paging."""
    services = chat.app.services
    command = OpenTicket(
        reporter="W01", area="MACH", category="mechanical", urgency=Severity.GENERAL,
        description=f"防护罩破损 {number}", photos=(f"{number:064x}",), equipment="CNC-07",
    )
    with SqlUnitOfWork(chat.app.engine) as uow:
        opened = open_ticket(command, uow=uow, plant=services.plant, clock=services.clock)[0]
        uow.commit()
    assert isinstance(opened, TicketOpened)
    return opened.code


def labels(*actions: str) -> str:
    return "  ".join(f"[{i}] {msg(ZH, f'action.{a}')}" for i, a in enumerate(actions, 1))


def counts(*parts: tuple[str, int]) -> str:
    return " · ".join(msg(ZH, f"todo.count.{kind}", n=n) for kind, n in parts)


def codes_in_order(said: Said, person: str, *tickets: Ticket) -> list[str]:
    text = said.text(person)
    return sorted((t.code for t in tickets if t.code in text), key=text.index)


def test_a_team_lead_sees_the_ticket_to_accept_with_its_buttons_and_a_press_accepts_it(
    chat: Chat,
) -> None:
    ticket = report(chat, 1)
    said = chat.run("TL-MECH", "/todo").of("TL-MECH")
    assert said[0] == msg(ZH, "todo.summary", counts=counts(("accept", 1)), more="")
    assert any(ticket.code in line for line in said)
    assert said[-1] == labels("accept", "reject", "reassign")

    chat.run("TL-MECH", "!press 1")

    assert chat.ticket(ticket.code).status is Status.ACKNOWLEDGED
    again = chat.run("TL-MECH", "/todo").of("TL-MECH")
    assert again[0] == msg(ZH, "todo.summary", counts=counts(("do", 1)), more="")
    assert again[-1] == labels("start", "reject", "reassign")


def test_an_overdue_ticket_comes_first_though_it_was_reported_later(chat: Chat) -> None:
    accepted = report(chat, 1)
    chat.run("TL-MECH", f"!button t:accept:{accepted.code}")
    late = report(chat, 2)
    chat.run("SO1", "!wait 25h")  # past the 24 h to respond to `late`, well within 7 days to fix

    said = chat.run("TL-MECH", "/todo")

    summary = counts(("accept", 1), ("do", 1), ("overdue", 1))
    assert said.of("TL-MECH")[0] == msg(ZH, "todo.summary", counts=summary, more="")
    assert codes_in_order(said, "TL-MECH", accepted, late) == [late.code, accepted.code]
    overdue_card = next(line for line in said.of("TL-MECH") if msg(ZH, "todo.overdue") in line)
    assert msg(ZH, "todo.kind.accept") in overdue_card


def test_a_safety_officer_is_asked_to_judge_to_verify_and_to_decide_a_rejection(
    chat: Chat,
) -> None:
    to_judge = report(chat, 1)
    to_verify = report(chat, 2)
    to_decide = report(chat, 3)
    for code in (to_verify.code, to_decide.code):
        chat.run("SO1", f"!button t:valid:{code}")
    after = chat.photo("after.jpg", (30, 160, 60))
    chat.run("TL-MECH", f"!button t:accept:{to_verify.code}", f"!button t:start:{to_verify.code}",
             f"!button t:done:{to_verify.code}", f"!photo {after}",
             f"!button t:reject:{to_decide.code}", "这台设备已经停用，不属于隐患")
    assert chat.ticket(to_decide.code).status is Status.REJECTED

    said = chat.run("SO1", "/todo")

    summary = counts(("judge", 1), ("verify", 1), ("decide", 1))
    assert said.of("SO1")[0] == msg(ZH, "todo.summary", counts=summary, more="")
    text = said.text("SO1")
    for kind in ("judge", "verify", "decide"):
        assert msg(ZH, f"todo.kind.{kind}") in text
    for ticket in (to_judge, to_verify, to_decide):
        assert ticket.code in text
    buttons = [line for line in said.of("SO1") if line.startswith("[1] ")]
    assert len(buttons) == 3
    assert any(line.startswith(labels("close", "reopen")) for line in buttons)
    judging = [line for line in buttons if msg(ZH, "action.valid") in line]
    assert len(judging) == 1
    assert msg(ZH, "action.duplicate") in judging[0]
    assert msg(ZH, "action.invalid") in judging[0]


def test_pressing_verify_on_a_todo_card_closes_the_ticket(chat: Chat) -> None:
    ticket = report(chat, 1)
    after = chat.photo("after.jpg", (30, 160, 60))
    chat.run("TL-MECH", f"!button t:accept:{ticket.code}", f"!button t:start:{ticket.code}",
             f"!button t:done:{ticket.code}", f"!photo {after}")
    said = chat.run("SO1", "/todo").of("SO1")
    buttons = said[-1].split("  ")
    close = next(b for b in buttons if b.endswith(msg(ZH, "action.close")))

    chat.run("SO1", f"!press {close[1]}")

    assert chat.ticket(ticket.code).status is Status.CLOSED
    assert chat.run("SO1", "/todo").of("SO1") == [msg(ZH, "todo.none")]


def test_a_department_head_follows_up_escalated_tickets_of_their_own_department(
    chat: Chat,
) -> None:
    ticket = report(chat, 1)
    chat.run("SO1", "!wait 25h")
    assert chat.ticket(ticket.code).escalation_level == 1

    said = chat.run("DH-EQUIP", "/todo")

    summary = counts(("follow_up", 1), ("overdue", 1))
    assert said.of("DH-EQUIP")[0] == msg(ZH, "todo.summary", counts=summary, more="")
    assert ticket.code in said.text("DH-EQUIP")
    assert chat.run("DH-PROD", "/todo").of("DH-PROD") == [msg(ZH, "todo.none")]


def test_a_worker_asking_for_todo_or_open_is_pointed_at_my(chat: Chat) -> None:
    report(chat, 1)
    assert chat.run("W01", "/todo").of("W01") == [msg(ZH, "todo.not_for_you")]
    assert chat.run("W01", "/open").of("W01") == [msg(ZH, "open.not_for_you")]
    assert chat.run("TL-MECH", "/open").of("TL-MECH") == [msg(ZH, "open.not_for_you")]
    assert chat.run("W02", "/todo").of("W02") == [msg("en", "todo.not_for_you")]


def test_open_shows_ten_tickets_a_page_and_the_next_page_button_shows_the_rest(
    chat: Chat,
) -> None:
    codes = [file_quietly(chat, n) for n in range(12)]

    first = chat.run("SO1", "/open").of("SO1")

    assert sum(1 for line in first if line.startswith("HZ-")) == 10
    assert msg(ZH, "open.footer", page=1, pages=2, total=12) in first
    assert first[-1] == f"[1] {msg(ZH, 'button.next_page')}"
    second = chat.run("SO1", "!press 1").of("SO1")
    assert [line.split(" · ")[0] for line in second if line.startswith("HZ-")] == codes[10:]
    assert msg(ZH, "open.footer", page=2, pages=2, total=12) in second
    assert not any(line.startswith("[1]") for line in second)
    assert chat.run("SO1", "/open 2").of("SO1") == second


def test_open_lists_the_overdue_ticket_first_with_a_clock(chat: Chat) -> None:
    accepted = report(chat, 1)
    chat.run("TL-MECH", f"!button t:accept:{accepted.code}")
    late = report(chat, 2)
    chat.run("SO1", "!wait 25h")

    lines = [line for line in chat.run("DH-EQUIP", "/open").of("DH-EQUIP") if "HZ-" in line]

    assert lines[0].startswith(f"⏰ {late.code} · ")
    assert lines[1].startswith(f"{accepted.code} · ")


def test_open_filters_by_area_or_team_by_id_or_name(chat: Chat) -> None:
    at_machining = report(chat, 1)
    electrical = report(chat, 2, category=1)
    assert electrical.team == "ELEC"
    accepted = report(chat, 3)
    chat.run("TL-MECH", f"!button t:accept:{accepted.code}", f"!button t:start:{accepted.code}")

    def listed(*args: str) -> list[str]:
        said = chat.run("SO2", " ".join(("/open", *args))).of("SO2")
        return [line.split(" · ")[0] for line in said if line.startswith("HZ-")]

    assert listed("MACH") == [at_machining.code, electrical.code, accepted.code]
    assert listed("ELEC") == [electrical.code]
    assert listed("机械维修班") == [at_machining.code, accepted.code]
    assert listed("mech", "1") == [at_machining.code, accepted.code]
    assert listed("WH") == []
    said = chat.run("SO2", "/open 仓库").of("SO2")
    assert said == [msg(ZH, "open.none", scope="仓库")]
    unknown = chat.run("SO2", "/open 食堂").text("SO2")
    assert "食堂" in unknown
    assert "MACH" in unknown
    assert "HZ-" not in unknown


def test_a_forged_or_stale_page_button_is_answered_politely(chat: Chat) -> None:
    report(chat, 1)
    assert chat.run("SO1", "!button o:7").of("SO1") == [msg(ZH, "open.no_page", page=7, pages=1)]
    assert chat.run("SO1", "/open 0").of("SO1") == [msg(ZH, "open.no_page", page=0, pages=1)]
    for forged in ("o:", "o:abc", "o:1:a:NOPE", "o:1:x:MACH", "o:1:a:"):
        assert chat.run("SO1", f"!button {forged}").of("SO1") == [msg(ZH, "button.stale")]
    huge = chat.run("SO1", "!button o:99999999999999999999").of("SO1")
    assert huge == [msg(ZH, "open.no_page", page=0, pages=1)]
    assert chat.run("W01", "!button o:1").of("W01") == [msg(ZH, "open.not_for_you")]
    filtered = chat.run("SO1", "!button o:1:a:MACH").text("SO1")
    assert msg(ZH, "open.footer", page=1, pages=1, total=1) in filtered


def test_help_lists_only_the_commands_of_the_askers_roles(chat: Chat) -> None:
    def commands(person: str) -> set[str]:
        text = chat.run(person, "/help").text(person)
        return {word for word in text.split() if word.startswith("/")}

    everyone = {"/report", "/my", "/status", "/points", "/rank", "/risk", "/shop", "/lang",
                "/cancel", "/help"}
    assert commands("W01") == everyone
    assert commands("W02") == everyone
    assert commands("TL-MECH") == everyone | {"/todo", "/plan"}
    assert {"/major", "/plan"} <= commands("SM")  # major hazards: the safety manager's
    assert {"/major", "/plan"} & commands("SO1") == set()
    assert "/open" in commands("PM") and "/major" not in commands("PM")
    analytics = {"/warnings", "/index"}  # trend warnings and the safety health index
    inspections = {"/round", "/rounds", "/checkin"}  # an inspector's rounds and check-ins
    assert commands("SO1") == everyone | {"/todo", "/open", "/board"} | analytics | inspections
    assert commands("DH-EQUIP") == everyone | {"/todo", "/open", "/board"} | analytics
    assert commands("ADMIN") == everyone | {"/open", "/board", "/invite", "/chatid", "/rounds"}
    assert "/todo" not in commands("ADMIN")
    assert msg("en", "help.todo") not in chat.run("W02", "/help").text("W02")

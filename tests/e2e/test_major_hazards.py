"""Major hazards (重大事故隐患) in conversation: grading, the remediation plan, the work it
gates, and the safety manager's acceptance."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.tickets import Status
from tests.chat import Chat, Said, msg, msg_until

ZH, EN = "zh-CN", "en"
SHANGHAI = ZoneInfo("Asia/Shanghai")  # today is Monday 2026-11-30 there (tests/chat.py)
GRADE = msg(ZH, "action.major")
ENTER_PLAN = msg(ZH, "button.enter_plan")
MEASURES = "加装联锁防护罩，更换破损护板，增设急停按钮"
EMERGENCY = "整改完成前停机挂牌，设警戒区，专人监护"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def graded(chat: Chat) -> str:
    code = chat.report().code
    chat.run("SM", f"/major {code}")
    return code


def enter_plan(chat: Chat, person: str, code: str) -> Said:
    """A whole plan by the buttons: the team lead responsible, 5万, a month, submitted."""
    return chat.run(person, f"/plan {code}", "TL-MECH", MEASURES, "5万", "!press 2", EMERGENCY,
                    "!press 1")


# --- grading: by the button on the safety manager's card, or by /major

def test_the_safety_manager_grades_a_ticket_by_the_button_on_their_card(chat: Chat) -> None:
    code = chat.report().code
    todo = chat.run("SM", "/todo")
    assert GRADE in todo.text("SM")
    said = chat.run("SM", f"!press {GRADE}")

    ticket = chat.ticket(code)
    assert ticket.is_major and ticket.major_by == "SM" and ticket.status is Status.REPORTED
    assert msg(ZH, "outcome.major", actor="王建国 (SM)") in said.text("SM")
    assert said.text("W01") == msg(ZH, "reporter.signed", notice=msg(ZH, "reporter.major",
                                                                      code=code),
                                   who="王建国 (SM)", when="11-30 09:00")
    lead = said.text("TL-MECH")
    assert msg_until(ZH, "major.plan_needed", "card", code=code, actor="王建国 (SM)") in lead
    assert f"[1] {ENTER_PLAN}" in lead
    # the card now says what a major hazard needs, and no longer offers grading
    assert "🔴 重大事故隐患（王建国 (SM) 定级，11-30 09:00）" in said.text("SM")
    assert GRADE not in chat.run("SM", "/todo").text("SM")


def test_grading_by_command_tells_the_plant_manager_once_and_is_audited(chat: Chat) -> None:
    code = chat.report().code
    said = chat.run("SM", f"/major {code.lower()}")

    assert said.of("SM")[0] == msg(ZH, "ticket.outcome_short", code=code,
                                   outcome=msg(ZH, "outcome.major", actor="王建国 (SM)"))
    manager = said.of("PM")
    headline = msg_until(ZH, "major.graded_manager", "card", code=code, actor="王建国 (SM)")
    assert sum(line.startswith("🔴 重大事故隐患：") for line in manager) == 1
    assert manager[0] == headline.rstrip("\n")
    with chat.app.services.uow() as uow:
        entries = [(e.actor, e.action, e.data.get("action")) for e in uow.audit.find(subject=code)]
    assert ("SM", "TicketActed", "major") in entries
    # grading again is refused, and tells the plant manager nothing more
    later = chat.run("SM", f"/major {code}")
    assert later.of("PM") == []


@pytest.mark.parametrize(("person", "command"), [
    ("W01", "/major {code}"),
    ("SO1", "/major {code}"),
    ("TL-MECH", "!button t:major:{code}"),  # forged: leads have no such button
    ("PM", "/major {code}"),
])
def test_only_the_safety_manager_may_grade(chat: Chat, person: str, command: str) -> None:
    code = chat.report().code
    said = chat.run(person, command.format(code=code))
    assert msg(ZH, "refused.not_allowed", code=code) in said.of(person)
    assert not chat.ticket(code).is_major
    assert said.of(person) == [msg(ZH, "refused.not_allowed", code=code)]
    assert [line for line in said.lines if not line.startswith(f"[{person}]")] == []


def test_an_unknown_code_a_second_grading_and_no_code_are_refused_politely(chat: Chat) -> None:
    code = graded(chat)
    unknown = chat.run("SM", "/major HZ-261130-9999")
    assert unknown.of("SM") == [msg(ZH, "refused.unknown_ticket", code="HZ-261130-9999")]
    again = chat.run("SM", f"/major {code}")
    assert again.of("SM") == [msg(ZH, "refused.already_major", code=code)]
    assert again.of("PM") == [] and again.of("W01") == []
    assert chat.run("SM", "/major").of("SM") == [msg(ZH, "major.usage")]
    with chat.app.services.uow() as uow:
        grades = [e for e in uow.audit.find(subject=code) if e.data.get("action") == "major"]
    assert len(grades) == 1


# --- the plan: five elements, typed badly first

def test_the_plan_conversation_refuses_bad_input_and_keeps_the_five_elements(chat: Chat) -> None:
    code = graded(chat)
    asked = chat.run("TL-MECH", f"!press {ENTER_PLAN}")
    assert msg(ZH, "plan.ask_responsible", code=code) in asked.of("TL-MECH")

    nobody = chat.run("TL-MECH", "老王")
    assert msg(ZH, "plan.responsible_invalid", text="老王") in nobody.of("TL-MECH")
    short = chat.run("TL-MECH", "tl-mech", "修")
    assert msg(ZH, "plan.text_invalid") in short.of("TL-MECH")
    funds = chat.run("TL-MECH", MEASURES, "五万块")
    assert msg(ZH, "plan.funds_invalid", text="五万块") in funds.of("TL-MECH")
    past = chat.run("TL-MECH", "¥1,250.50", "2026-11-29")
    assert msg(ZH, "plan.deadline_past", date="2026-11-29", today="2026-11-30") in (
        past.of("TL-MECH"))
    nonsense = chat.run("TL-MECH", "2026-02-30")
    assert msg(ZH, "plan.deadline_invalid", text="2026-02-30") in nonsense.of("TL-MECH")
    summary = chat.run("TL-MECH", "12月31日", EMERGENCY)
    assert msg(ZH, "plan.summary", code=code, responsible="周杰 (TL-MECH)", measures=MEASURES,
               funds="1,250.50", deadline="2026-12-31", emergency_plan=EMERGENCY) in (
        summary.text("TL-MECH"))
    assert chat.ticket(code).resolve_by != datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)

    saved = chat.run("TL-MECH", "!press 1")
    assert msg(ZH, "plan.saved", code=code) in saved.of("TL-MECH")
    with chat.app.services.uow() as uow:
        plan = uow.majors.plan(code)
    assert plan is not None
    assert (plan.responsible, plan.measures, plan.funds, plan.deadline, plan.emergency_plan,
            plan.entered_by) == ("TL-MECH", MEASURES, Decimal("1250.50"), date(2026, 12, 31),
                                 EMERGENCY, "TL-MECH")
    # the fix is now timed by the plan: late after the plan's last day
    assert chat.ticket(code).resolve_by == datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI)
    assert "整改方案已由 周杰 (TL-MECH) 录入" in saved.text("SM")
    assert "整改方案已由 周杰 (TL-MECH) 录入" in saved.text("PM")


def test_one_element_can_be_changed_from_the_summary(chat: Chat) -> None:
    code = graded(chat)
    chat.run("SM", f"/plan {code}", "TL-MECH", MEASURES, "50000", "!press 1", EMERGENCY)
    said = chat.run("SM", "!press 2", f"!press {msg(ZH, 'major.element.funds')}", "8万")
    assert "资金：80,000.00 元" in said.text("SM")
    chat.run("SM", "!press 1")
    with chat.app.services.uow() as uow:
        plan = uow.majors.plan(code)
    assert plan is not None and plan.funds == Decimal("80000.00")
    assert plan.entered_by == "SM"


def test_a_plan_half_typed_survives_a_restart(chat: Chat) -> None:
    code = graded(chat)
    chat.run("TL-MECH", f"/plan {code}", "TL-MECH", MEASURES)
    chat = chat.restart()
    try:
        said = chat.run("TL-MECH", "3万", "!press 1", EMERGENCY, "!press 1")
        assert msg(ZH, "plan.saved", code=code) in said.of("TL-MECH")
    finally:
        chat.close()


@pytest.mark.parametrize(("person", "which", "reason"), [
    ("W01", "major", "not_allowed"),
    ("SO1", "major", "not_allowed"),
    ("TL-ELEC", "major", "not_allowed"),  # the lead of another team
    ("SM", "ordinary", "not_major"),
])
def test_a_plan_is_entered_only_for_a_major_hazard_by_its_lead_or_the_manager(
    chat: Chat, person: str, which: str, reason: str,
) -> None:
    code = graded(chat) if which == "major" else chat.report().code
    said = chat.run(person, f"/plan {code}")
    assert said.of(person) == [msg(ZH, f"refused.{reason}", code=code)]
    assert chat.run(person, "TL-MECH").of(person) == [msg(ZH, "hint.idle")]


# --- no work without a plan

def test_starting_work_is_refused_without_a_plan_and_allowed_after(chat: Chat) -> None:
    code = graded(chat)
    chat.run("TL-MECH", f"!button t:accept:{code}")
    assert chat.ticket(code).status is Status.ACKNOWLEDGED

    refused = chat.run("TL-MECH", f"!button t:start:{code}")
    missing = msg(ZH, "refused.major_plan_missing", code=code).split("\n")
    assert refused.of("TL-MECH") == [*missing, f"[1] {ENTER_PLAN}"]  # the way on, one press
    assert "尚缺整改方案（五落实）：责任人、整改措施、资金、时限、应急预案。" in missing
    assert chat.ticket(code).status is Status.ACKNOWLEDGED
    asked = chat.run("TL-MECH", "!press 1")
    assert msg(ZH, "plan.ask_responsible", code=code) in asked.of("TL-MECH")

    planned = enter_plan(chat, "TL-MECH", code)
    assert "开始处理" in planned.text("TL-MECH")  # the lead's card now offers the start
    chat.run("TL-MECH", f"!button t:start:{code}")
    assert chat.ticket(code).status is Status.IN_PROGRESS


def test_reporting_done_without_a_plan_is_refused_before_any_photo_is_asked(
    chat: Chat,
) -> None:
    code = chat.report().code
    chat.run("TL-MECH", "!press 1", "!press 1")  # accepted and started before the grading
    chat.run("SM", f"/major {code}")
    said = chat.run("TL-MECH", f"!button t:done:{code}")
    assert said.of("TL-MECH") == [*msg(ZH, "refused.major_plan_missing", code=code).split("\n"),
                                  f"[1] {ENTER_PLAN}"]
    assert chat.ticket(code).status is Status.IN_PROGRESS
    # a department head may work the ticket but not enter its plan: no button for them
    head = chat.run("DH-EQUIP", f"!button t:done:{code}")
    assert head.of("DH-EQUIP") == msg(ZH, "refused.major_plan_missing", code=code).split("\n")


# --- closing takes the safety manager's acceptance

def resolved_major(chat: Chat) -> tuple[str, Said]:
    code = graded(chat)
    enter_plan(chat, "TL-MECH", code)
    after = chat.photo("after.jpg", (40, 200, 40))
    said = chat.run("TL-MECH", f"!button t:accept:{code}", f"!button t:start:{code}",
                    f"!button t:done:{code}", f"!photo {after}")
    assert chat.ticket(code).status is Status.RESOLVED
    return code, said


def test_a_safety_officers_verify_asks_the_safety_manager_instead_of_closing(
    chat: Chat,
) -> None:
    code, done = resolved_major(chat)
    assert msg_until(ZH, "major.accept_needed", "card", code=code, actor="周杰 (TL-MECH)") in (
        done.text("SM"))
    assert "关闭须安全经理验收" in done.text("SO1")  # the card the officer verifies says so

    officer = chat.run("SO1", f"!press {msg(ZH, 'action.close')}")
    assert officer.of("SO1") == [msg(ZH, "major.acceptance_requested", code=code,
                                     managers="王建国 (SM)")]
    assert msg_until(ZH, "major.accept_requested", "card", code=code, actor="李娜 (SO1)") in (
        officer.text("SM"))
    assert chat.ticket(code).status is Status.RESOLVED
    assert officer.of("W01") == []

    accepted = chat.run("SM", f"!press {msg(ZH, 'action.close')}")
    ticket = chat.ticket(code)
    assert (ticket.status, ticket.closed_by) == (Status.CLOSED, "SM")
    assert msg(ZH, "major.accepted", code=code, actor="王建国 (SM)") in accepted.of("PM")
    assert msg(ZH, "reporter.close", code=code) in accepted.of("W01")
    with chat.app.services.uow() as uow:
        actions = [e.action for e in uow.audit.find(subject=code)]
    assert actions.count("RemediationPlanEntered") == 1
    assert actions.count("MajorAcceptanceRequested") == 1
    assert actions.count("MajorHazardAccepted") == 1


def test_a_forged_close_by_an_officer_changes_nothing_but_asking(chat: Chat) -> None:
    code, _ = resolved_major(chat)
    said = chat.run("SO1", f"!button t:close:{code}", f"!button t:close:{code}")
    assert chat.ticket(code).status is Status.RESOLVED
    assert len(said.of("SO1")) == 2
    worker = chat.run("W01", f"!button t:close:{code}")
    assert worker.of("W01") == [msg(ZH, "refused.not_allowed", code=code)]
    assert worker.of("SM") == []


def test_the_plan_conversation_speaks_english_to_an_english_lead(chat: Chat) -> None:
    code = graded(chat)
    chat.run("TL-MECH", "/lang en")
    said = chat.run("TL-MECH", f"/plan {code}", "TL-MECH", MEASURES, "abc")
    assert msg(EN, "plan.ask_responsible", code=code) in said.of("TL-MECH")
    assert msg(EN, "plan.funds_invalid", text="abc") in said.of("TL-MECH")


def test_a_deadline_that_passed_while_the_summary_waited_is_asked_again(
    tmp_path: Path,
) -> None:
    late = Chat(tmp_path, start=datetime(2026, 11, 30, 23, 30, tzinfo=SHANGHAI))
    try:
        code = graded(late)
        late.run("TL-MECH", f"/plan {code}", "TL-MECH", MEASURES, "5万", "2026-11-30", EMERGENCY)
        late.clock.advance(timedelta(hours=1))  # past midnight, within the plan's timeout
        said = late.run("TL-MECH", "!press 1")
        assert said.of("TL-MECH")[0] == msg(ZH, "refused.plan_deadline_past", code=code)
        assert msg(ZH, "plan.ask_deadline", today="2026-12-01") in said.of("TL-MECH")
        summary = late.run("TL-MECH", "!press 1")  # a week: straight back to the summary
        assert "时限：2026-12-08" in summary.text("TL-MECH")
        saved = late.run("TL-MECH", "!press 1")
        assert msg(ZH, "plan.saved", code=code) in saved.of("TL-MECH")
    finally:
        late.close()

"""What officers and leads meet after a report: decisions, sign-off, escalation, duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.tickets import Status, Validity
from tests.chat import Chat, msg


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def rejected_by_lead(chat: Chat) -> str:
    code = chat.report().code
    chat.run("TL-MECH", "!press 2", "这是正常的切削液，不是泄漏")  # reject, with a reason
    return code


# --- item 3: a lead's rejection goes to the safety officer as a decision

def test_a_lead_rejection_reaches_the_officer_as_a_decision_with_buttons(chat: Chat) -> None:
    code = chat.report().code
    said = chat.run("TL-MECH", "!press 2", "这是正常的切削液，不是泄漏")
    officer = said.text("SO1")
    assert f"⚖️ {code} 被 周杰 (TL-MECH) 驳回" in officer
    assert "[1] 维持驳回  [2] 推翻驳回" in officer
    assert "安全员将复核" in said.text("W01")


def test_upholding_tells_the_reporter_why_and_the_report_stays_rejected(chat: Chat) -> None:
    code = rejected_by_lead(chat)
    said = chat.run("SO1", "!press 维持驳回")
    assert msg("zh-CN", "reporter.upheld", code=code, reason="这是正常的切削液，不是泄漏") in (
        said.of("W01"))
    assert any("维持了驳回" in line for line in said.of("TL-MECH"))
    ticket = chat.ticket(code)
    assert (ticket.status, ticket.validity) == (Status.REJECTED, Validity.INVALID)


def test_overruling_sends_the_work_back_and_the_lead_hears_why(chat: Chat) -> None:
    code = rejected_by_lead(chat)
    asked = chat.run("SO1", "!press 推翻驳回")
    assert any("请输入原因" in line for line in asked.of("SO1"))
    teams = chat.run("SO1", "液体在通道上，有滑倒风险")
    assert "[1] 机械维修班  [2] 电气维修班" in teams.text("SO1")  # the same team first
    said = chat.run("SO1", "!press 1")
    lead = said.text("TL-MECH")
    assert "推翻" in lead and "液体在通道上，有滑倒风险" in lead
    assert "[1] 接收" in lead
    assert any("已交给 机械维修班" in line for line in said.of("W01"))
    assert chat.ticket(code).status is Status.REPORTED
    chat.run("TL-MECH", "!press 1")
    assert chat.ticket(code).status is Status.ACKNOWLEDGED


def test_overruling_to_another_team_tells_the_old_lead_and_gives_the_new_one_the_card(
    chat: Chat
) -> None:
    code = rejected_by_lead(chat)
    said = chat.run("SO1", "!press 推翻驳回", "是配电问题，请电工处理", "电气维修班")
    assert any("推翻" in line for line in said.of("TL-MECH"))
    assert "[1] 接收" in said.text("TL-ELEC")
    assert (chat.ticket(code).team, chat.ticket(code).status) == ("ELEC", Status.REPORTED)


def test_a_report_judged_valid_after_a_lead_rejected_it_goes_back_to_the_team(
    chat: Chat
) -> None:
    code = rejected_by_lead(chat)
    said = chat.run("SO1", f"!button t:valid:{code}")
    assert "[1] 接收" in said.text("TL-MECH")
    ticket = chat.ticket(code)
    # 10 for a serious report, 2 for its equipment and location (plant.yaml's points.bonus)
    assert (ticket.status, ticket.validity, ticket.points) == (Status.REPORTED, Validity.VALID, 12)


# --- item 4: closing judges an unjudged report valid

def work_to_resolved(chat: Chat) -> str:
    code = chat.report().code
    after = chat.photo("after.jpg", (40, 200, 40))
    chat.run("TL-MECH", "!press 1", "!press 1", "!press 1", f"!photo {after}")
    return code


def test_closing_an_unjudged_ticket_judges_it_valid_and_pays_the_reporter(chat: Chat) -> None:
    code = work_to_resolved(chat)
    said = chat.run("SO1", "!press 1")  # verify and close
    reporter = said.text("W01")
    assert "已验收关闭" in reporter and "⭐ 积分 +12" in reporter
    ticket = chat.ticket(code)
    assert (ticket.status, ticket.validity, ticket.points) == (Status.CLOSED, Validity.VALID, 12)
    status = chat.run("W01", f"/status {code}").text("W01")
    assert "核实：有效" in status and "积分：12" in status


# --- item 5: the officer sees the photos

def test_the_validity_card_shows_every_photo_of_the_report(chat: Chat) -> None:
    photos = [chat.photo(f"p{i}.jpg", (60 * i, 40, 40)) for i in (1, 2)]
    said = chat.run("W01", "/report", f"!photo {photos[0]}", f"!photo {photos[1]}", "!press 1",
                    "!location 31.3172 120.7208 12", "CNC-07", "主轴防护罩破损，铁屑飞溅",
                    "!press 2", "!press 2", "!press 1")
    officer = said.of("SO1")
    assert any("照片 2 张" in line for line in officer)
    assert sum(line.startswith("🖼") for line in officer) == 2
    assert any("照片 2/2" in line for line in officer)


def test_the_sign_off_card_shows_the_labelled_before_after_picture(chat: Chat) -> None:
    code = chat.report().code
    after = chat.photo("after.jpg", (40, 200, 40))
    said = chat.run("TL-MECH", "!press 1", "!press 1", "!press 1", f"!photo {after}")
    officer, reporter = said.of("SO1"), said.of("W01")
    pictures = [line for line in officer if line.startswith("🖼")]
    assert len(pictures) == 1 and pictures == [line for line in reporter if line.startswith("🖼")]
    ticket = chat.ticket(code)
    assert ticket.photos[0][:12] not in pictures[0] and ticket.after_photo  # the pair, not one
    assert any("左为整改前" in line for line in officer)


# --- items 6 and 7: escalation is heard by those who can act; two clocks on the card

def test_at_each_rung_the_lead_and_the_reporter_hear_where_the_ticket_went(chat: Chat) -> None:
    code = chat.report(urgency=1).code
    said = chat.run("W01", "!wait 25h")
    assert any(f"⏫ {code}" in line and "张伟 (DH-EQUIP)" in line for line in said.of("TL-MECH"))
    assert any(f"⏫ {code}" in line and "部门负责人" in line for line in said.of("W01"))
    said = chat.run("W01", "!wait 5h")
    assert any("王建国 (SM)" in line for line in said.of("TL-MECH"))
    assert any("安全经理" in line for line in said.of("W01"))


def test_the_card_shows_both_deadlines_and_never_a_dash_while_open(chat: Chat) -> None:
    code = chat.report(urgency=1).code
    chat.run("W01", "!wait 40h")  # past the top of the ladder
    card = chat.run("SO1", f"/status {code}").of("SO1")
    assert "响应截止：12-01 09:00" in card and "整改截止：12-07 09:00" in card
    assert not [line for line in card if line.endswith("：-")]
    chat.run("TL-MECH", f"!button t:accept:{code}")
    card = chat.run("SO1", f"/status {code}").text("SO1")
    assert "响应截止：12-01 09:00（已于 12-02 01:00 完成）" in card


# --- item 10: marking a duplicate

def test_a_ticket_cannot_duplicate_itself_and_nearby_tickets_are_offered(chat: Chat) -> None:
    first = chat.report().code
    second = chat.report(colour=(10, 10, 200)).code
    asked = chat.run("SO1", f"!button t:duplicate:{second}")
    assert f"[1] {first} · CNC-07" in asked.text("SO1")
    refused = chat.run("SO1", second.lower())
    assert msg("zh-CN", "refused.duplicate_of_itself") in refused.of("SO1")
    assert f"[1] {first} · CNC-07" in refused.text("SO1")  # the choices again
    chat.run("SO1", "!press 1")
    ticket = chat.ticket(second)
    assert (ticket.validity, ticket.duplicate_of) == (Validity.DUPLICATE, first)


# --- item 11: a follow-up question survives a restart with its buttons

def test_a_half_finished_reassign_resumes_after_a_restart(chat: Chat) -> None:
    code = chat.report().code
    chat.run("TL-MECH", "!press 3")  # reassign: which team?
    chat = chat.restart()
    refused = chat.run("TL-MECH", "焊接班")
    assert "[1] 电气维修班" in refused.text("TL-MECH")
    chat.run("TL-MECH", "!press 1")
    assert chat.ticket(code).team == "ELEC"
    chat.close()


def test_a_team_may_be_typed_by_name_after_a_restart(chat: Chat) -> None:
    code = chat.report().code
    chat.run("TL-MECH", "!press 3")
    chat = chat.restart()
    chat.run("TL-MECH", "电气维修班")
    assert chat.ticket(code).team == "ELEC"
    chat.close()

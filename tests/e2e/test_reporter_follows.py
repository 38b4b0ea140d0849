"""The reporter sees everything: each step of their ticket signed with who and when, /my in
three stages with buttons, their own word on the fix (已解决 / 未解决), /status with the
buttons each reader may press now, and a photo sent again answered as already received."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.tickets import Status
from tests.chat import Chat, Said, msg

ZH, EN = "zh-CN", "en"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def buttons(said: Said, person: str) -> str:
    """The last row of buttons `person` saw."""
    return [line for line in said.of(person) if line.startswith("[1] ")][-1]


def resolved(chat: Chat, reporter: str = "W01") -> tuple[str, Said]:
    """A report worked to resolved half an hour a step; the code and what the fix said."""
    code = chat.report(reporter).code
    after = chat.photo("after.jpg", (40, 200, 40))
    chat.run("SO1", "!wait 30m", "!press 1")  # valid
    chat.run("TL-MECH", "!wait 30m", "!press 1", "!wait 30m", "!press 1", "!press 1")
    done = chat.run("TL-MECH", f"!photo {after}")
    return code, done


# --- every step reaches the reporter, with who and when

def test_the_reporter_hears_every_step_with_who_and_when(chat: Chat) -> None:
    code = chat.report().code
    said = chat.run("SO1", "!wait 30m", "!press 1")  # valid, at 09:30
    assert said.of("W01")[:2] == [msg(ZH, "reporter.valid", code=code),
                                  "—— 李娜 (SO1) · 11-30 09:30"]
    said = chat.run("TL-MECH", "!wait 30m", "!press 1")  # accept: the text names the lead
    assert said.of("W01") == [msg(ZH, "reporter.accept", code=code, actor="周杰 (TL-MECH)"),
                              "—— 11-30 10:00"]
    said = chat.run("TL-MECH", "!press 3")  # reassign → which team
    said = chat.run("TL-MECH", "!press 1")
    assert said.of("W01") == [msg(ZH, "reporter.reassign", code=code, team="电气维修班"),
                              "—— 周杰 (TL-MECH) · 11-30 10:00"]
    said = chat.run("W01", "!wait 5h")  # nobody accepts: up the ladder, by the clock
    assert said.of("W01")[1] == f"—— {msg(ZH, 'reporter.by_system')} · 11-30 14:00"


def test_an_english_reporter_hears_the_steps_in_english(chat: Chat) -> None:
    code, done = resolved(chat, reporter="W02")
    said = done.of("W02")
    assert said[:2] == [msg(EN, "reporter.done", code=code, actor="周杰 (TL-MECH)"),
                        "— 11-30 10:30"]
    assert said[-1] == "[1] Fixed  [2] Not fixed"
    closed = chat.run("SO1", "!wait 1h", "!press 1").of("W02")
    assert closed[:2] == [msg(EN, "reporter.close", code=code), "— 李娜 (SO1) · 11-30 11:30"]


# --- the before/after picture asks the reporter: fixed or not

def test_the_fix_comes_with_the_picture_and_the_reporters_two_buttons(chat: Chat) -> None:
    _, done = resolved(chat)
    reporter = done.of("W01")
    assert any(line.startswith("🖼") for line in reporter)
    assert buttons(done, "W01") == "[1] 已解决  [2] 未解决"


def test_not_fixed_with_words_reopens_to_the_team_and_the_verifiers(chat: Chat) -> None:
    code, _ = resolved(chat)
    asked = chat.run("W01", "!press 未解决").of("W01")
    assert asked == [msg(ZH, "followup.not_fixed", code=code)]
    said = chat.run("W01", "还是有铁屑飞出来，防护罩没装好")
    ticket = chat.ticket(code)
    assert ticket.status is Status.IN_PROGRESS and ticket.reason == "还是有铁屑飞出来，防护罩没装好"
    lead = said.text("TL-MECH")
    assert "上报人 马晓东 (W01) 反馈未解决" in lead and "防护罩没装好" in lead
    assert buttons(said, "TL-MECH") == "[1] 完成"  # the work is theirs again
    for officer in ("SO1", "SO2"):
        assert msg(ZH, "officer.not_fixed", actor="马晓东 (W01)", code=code,
                   reason="还是有铁屑飞出来，防护罩没装好") in said.of(officer)
    assert any(line.endswith(msg(ZH, "outcome.not_fixed", actor="马晓东 (W01)"))
               for line in said.of("W01"))
    # the reporter is not told of their own step as if someone else took it
    assert not any("验收未通过" in line for line in said.of("W01"))
    again = chat.run("W01", f"!button t:not_fixed:{code}").of("W01")
    assert again == [msg(ZH, "refused.being_fixed", code=code)]


def test_not_fixed_with_a_photo_keeps_it_and_shows_it_to_the_team(chat: Chat) -> None:
    code, _ = resolved(chat)
    still = chat.photo("still-broken.jpg", (120, 120, 20))
    chat.run("W01", "!press 2")
    said = chat.run("W01", f"!photo {still}")
    ticket = chat.ticket(code)
    assert ticket.status is Status.IN_PROGRESS and len(ticket.photos) == 2
    shown = ticket.photos[-1][:12]
    assert any(line.startswith(f"🖼 {shown}") for line in said.of("TL-MECH"))
    assert any(line.startswith(f"🖼 {shown}") for line in said.of("SO1"))
    assert any(msg(ZH, "not_fixed.see_photo") in line for line in said.of("TL-MECH"))
    # fixed again: a fresh picture and the same two buttons
    after = chat.photo("after-2.jpg", (20, 220, 20))
    again = chat.run("TL-MECH", "!press 1", f"!photo {after}")
    assert buttons(again, "W01") == "[1] 已解决  [2] 未解决"


def test_fixed_is_recorded_once_with_thanks_and_tells_the_verifiers(chat: Chat) -> None:
    code, _ = resolved(chat)
    said = chat.run("W01", "!press 已解决")
    assert any(line.endswith(msg(ZH, "outcome.fixed", actor="马晓东 (W01)"))
               for line in said.of("W01"))
    assert msg(ZH, "officer.fix_confirmed", actor="马晓东 (W01)", code=code) in said.of("SO1")
    assert buttons(said, "SO1") == "[1] 验收关闭  [2] 重新打开"
    assert chat.ticket(code).status is Status.RESOLVED  # signing off stays with safety staff
    twice = chat.run("W01", f"!button t:fixed:{code}").of("W01")
    assert twice == [msg(ZH, "refused.already_confirmed", code=code)]
    with chat.app.services.uow() as uow:
        confirmed = [e for e in uow.audit.find(subject=code) if e.data.get("action") == "fixed"]
    assert [(e.actor, e.action) for e in confirmed] == [("W01", "TicketActed")]


def test_not_fixed_after_closing_says_so_and_offers_a_new_report(chat: Chat) -> None:
    code, _ = resolved(chat)
    chat.run("SO1", "!press 1")  # verify and close
    said = chat.run("W01", f"!button t:not_fixed:{code}").of("W01")
    assert said == [msg(ZH, "refused.closed_report_again", code=code)]
    assert "/report" in said[0]
    assert chat.ticket(code).status is Status.CLOSED


def test_only_the_reporter_may_say_fixed_or_not(chat: Chat) -> None:
    code, _ = resolved(chat)
    for person in ("SO1", "TL-MECH", "W02"):
        said = chat.run(person, f"!button t:not_fixed:{code}", f"!button t:fixed:{code}")
        assert said.of(person) == [msg(ZH if person != "W02" else EN, "refused.not_allowed",
                                       code=code)] * 2
    assert chat.ticket(code).status is Status.RESOLVED


# --- /my: three stages, newest first, a button to open each

def test_my_shows_three_stages_newest_first_and_a_button_opens_each(chat: Chat) -> None:
    first = chat.report().code
    second = chat.report(colour=(10, 10, 200)).code
    chat.run("TL-MECH", f"!button t:accept:{first}", f"!button t:start:{first}")
    third, _ = resolved(chat)
    said = chat.run("W01", "/my").of("W01")
    stage = {key: msg(ZH, f"stage.{key}") for key in ("received", "working", "done")}
    assert [line.split(" · ")[:2] for line in said[1:4]] == [
        [third, stage["done"]], [second, stage["received"]], [first, stage["working"]]]
    assert said[-1] == f"[1] {third}  [2] {second}  [3] {first}"
    card = chat.run("W01", "!press 3").of("W01")
    assert card[0].startswith(f"📋 {first} · 处理中")
    # a closed or rejected report says so after its stage
    chat.run("SO1", f"!button t:invalid:{second}", "只是地面反光")
    said = chat.run("W01", "/my").of("W01")
    assert any(line.startswith(f"{second} · ") and "✅ 已完成（已驳回）" in line
               for line in said)


def test_my_in_english_and_with_no_reports(chat: Chat) -> None:
    assert chat.run("W02", "/my").of("W02") == [msg(EN, "my.none")]
    code = chat.report("W02").code
    said = chat.run("W02", "/my").of("W02")
    assert said[0] == "My reports, newest first:"
    assert said[1].startswith(f"{code} · 📬 Received · ")


# --- /status: the buttons a reader may press now, wherever the prompt went

def test_status_shows_the_officer_the_judge_buttons_after_other_messages(chat: Chat) -> None:
    code = chat.report().code
    # the officer's prompt scrolls away under other work and chatter
    chat.report(colour=(10, 10, 200))
    chat.run("SO1", "/my", "/rank", "/help")
    said = chat.run("SO1", f"/status {code}")
    assert buttons(said, "SO1") == "[1] 拒绝  [2] 转派  [3] 有效  [4] 重复  [5] 无效"
    judged = chat.run("SO1", "!press 有效")
    assert msg(ZH, "reporter.valid", code=code) in judged.of("W01")
    after = chat.run("SO1", f"/status {code}")
    assert buttons(after, "SO1") == "[1] 拒绝  [2] 转派  [3] 重复  [4] 无效"


def test_status_gives_each_reader_their_own_buttons(chat: Chat) -> None:
    code = chat.report().code
    lead = chat.run("TL-MECH", f"/status {code}")
    assert buttons(lead, "TL-MECH") == "[1] 接收  [2] 拒绝  [3] 转派"
    manager = chat.run("SM", f"/status {code}")
    assert "定为重大隐患" in buttons(manager, "SM")
    reporter = chat.run("W01", f"/status {code}").of("W01")
    assert not any(line.startswith("[1] ") for line in reporter)


# --- a photo sent again is answered as already received

def test_a_photo_sent_three_times_is_counted_once_and_said_so(chat: Chat) -> None:
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    said = chat.run("W01", "/report", *[f"!photo {photo}"] * 3).of("W01")
    assert said.count(msg(ZH, "report.photo_received", count=1)) == 1
    assert said.count(msg(ZH, "report.photo_duplicate", count=1)) == 2
    # and once the photos are done, at a later step, too
    later = chat.run("W01", "!press 1", f"!photo {photo}").of("W01")
    assert msg(ZH, "report.photo_already", count=1) in later
    assert later[-1].startswith("[1] 冲压车间")  # the step's buttons again
    chat.run("W01", "!location 31.3172 120.7208 12", "CNC-07", "主轴防护罩破损，铁屑飞溅",
             "!press 2", "!press 2", "!press 1")
    assert len(chat.ticket().photos) == 1

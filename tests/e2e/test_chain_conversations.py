"""Cross-department chains in conversation: the demo plant's distribution board example,
step by step, with every refusal, on the in-process shell and a simulated clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from string import Formatter

import pytest
from sqlmodel import col, select

from bot.pictures import draw
from core.buttons import StepButton, TicketButton, encode
from core.chains import Chain, StepState, StepVerb
from core.pictures import Table
from core.tickets import Action, Status, Ticket
from handlers.i18n import catalog
from storage.messaging import picture_from_json
from storage.tables import OutboxRow
from tests.chat import Chat, Said, msg, msg_until

ZH = "zh-CN"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def report_cabinet(chat: Chat, person: str = "W01", *, area: int = 1,
                   equipment: str = "DB-STAMP-1") -> Ticket:
    """An electrical hazard on a distribution board, by the buttons: it opens the chain."""
    photo = chat.photo(f"{person}-cabinet.jpg", (200, 40, 40))
    chat.run(person, "/report", f"!photo {photo}", "!press 1", f"!press {area}", equipment,
             "配电柜冒烟，有焦味", "!press 1", "!press 2", "!press 1")
    return chat.ticket()


def chain_of(chat: Chat, code: str) -> Chain:
    with chat.app.services.uow() as uow:
        chain = uow.chains.get(code)
    assert chain is not None
    return chain


def button(chat: Chat, code: str, key: str, verb: StepVerb) -> str:
    """The data of a step's button, as a forger would type it."""
    step = chain_of(chat, code).step(key)
    assert step is not None and step.id is not None
    return f"!button {encode(StepButton(verb, step.id))}"


def states(chat: Chat, code: str) -> dict[str, tuple[StepState, str | None]]:
    return {s.key: (s.state, s.holder) for s in chain_of(chat, code).steps}


def until(key: str, field: str) -> str:
    """A catalog message up to `field`, whatever its other values."""
    names = {name for _, name, _, _ in Formatter().parse(catalog(ZH)[key]) if name}
    return msg_until(ZH, key, field, **dict.fromkeys(names - {field}, ""))


TASK = until("chain.task", "code")
OPENED = until("chain.reporter_opened", "code")


def confirm(chat: Chat, person: str, choice: str = "!press 2 小时") -> Said:
    return chat.run(person, "!press 确认接收", choice)


def finish(chat: Chat, person: str, note: str = "已评估，需断电检修") -> Said:
    return chat.run(person, "!press 已完成", note)


def test_a_cabinet_report_gives_the_first_steps_their_tasks_and_the_repair_waits(
    chat: Chat,
) -> None:
    start = len(chat._said.lines)
    code = report_cabinet(chat).code
    said = Said(chat._said.lines[start:])
    assert any(line.startswith(TASK) for line in said.of("SO1"))
    assert any(line.startswith(TASK) for line in said.of("DH-PROD"))
    assert not any(line.startswith(TASK) for line in said.of("TL-ELEC"))
    assert any(line.startswith(OPENED) for line in said.of("W01"))
    assert "[1] 确认接收  [2] 已完成  [3] 转交" in said.of("SO1")
    assert states(chat, code) == {
        "assess": (StepState.OPEN, "SO1"), "repair": (StepState.WAITING, None),
        "reschedule": (StepState.OPEN, "DH-PROD"),
    }
    assert chat.ticket(code).chain_running


def test_the_welding_shops_board_opens_the_same_chain(chat: Chat) -> None:
    code = report_cabinet(chat, area=2, equipment="DB-WELD-1").code
    assert chain_of(chat, code).rule == "cabinet"


def test_other_electrical_hazards_go_to_the_team_as_before(chat: Chat) -> None:
    ticket = chat.report(category=1)  # electrical, at CNC-07
    with chat.app.services.uow() as uow:
        assert uow.chains.get(ticket.code) is None
    assert not ticket.chain_running


def test_the_team_leads_card_offers_no_work_while_the_chain_runs(chat: Chat) -> None:
    start = len(chat._said.lines)
    code = report_cabinet(chat).code
    lead = Said(chat._said.lines[start:]).of("TL-ELEC")
    assert lead and not any(line.startswith("[1]") for line in lead)
    said = chat.run("TL-ELEC", f"!button {encode(TicketButton(Action.ACCEPT, code))}")
    assert said.of("TL-ELEC") == [msg(ZH, "refused.wrong_state", code=code)]
    assert chat.ticket(code).status is Status.REPORTED


def test_confirming_asks_a_promised_time_and_the_reporter_hears_of_it(chat: Chat) -> None:
    code = report_cabinet(chat).code
    asked = chat.run("SO1", "!press 确认接收")
    assert "[1] 2 小时  [2] 4 小时  [3] 8 小时  [4] 24 小时" in asked.of("SO1")
    said = chat.run("SO1", "!press 2 小时")
    step = "安全环保部 · 安全评估"
    assert said.of("SO1") == [msg(ZH, "chain.confirmed", step=step, promised="11-30 11:00"),
                              "[1] 已完成  [2] 转交"]
    notice = msg(ZH, "chain.reporter_confirmed", code=code, step=step, promised="11-30 11:00",
                 progress="0/3")
    assert said.text("W01") == msg(ZH, "reporter.signed", notice=notice, who="李娜 (SO1)",
                                   when="11-30 09:00")
    assert states(chat, code)["assess"] == (StepState.CONFIRMED, "SO1")
    assert chat.ticket(code).status is Status.IN_PROGRESS


@pytest.mark.parametrize(("typed", "promised"), [("3h", "11-30 12:00"),
                                                 ("16:00", "11-30 16:00"),
                                                 ("8:30", "12-01 08:30")])
def test_a_promised_time_may_be_typed(chat: Chat, typed: str, promised: str) -> None:
    report_cabinet(chat)
    said = confirm(chat, "SO1", typed)
    assert said.of("SO1")[-2] == msg(ZH, "chain.confirmed", step="安全环保部 · 安全评估",
                                     promised=promised)


@pytest.mark.parametrize("typed", ["soon", "0h", "45d", "25:00"])
def test_a_time_that_cannot_be_a_promise_is_asked_again_and_changes_nothing(
    chat: Chat, typed: str,
) -> None:
    code = report_cabinet(chat).code
    said = confirm(chat, "SO1", typed)
    assert said.of("SO1")[-2:] == [msg(ZH, "chain.promise_invalid"),
                                   "[1] 2 小时  [2] 4 小时  [3] 8 小时  [4] 24 小时"]
    assert states(chat, code)["assess"] == (StepState.OPEN, "SO1")
    assert chat.run("SO1", "4h").of("SO1")[0].startswith("✅")


def test_the_repair_opens_when_the_assessment_is_done_and_the_reporter_hears_each_step(
    chat: Chat,
) -> None:
    code = report_cabinet(chat).code
    asked = chat.run("SO1", "!press 已完成")
    assert asked.of("SO1") == [msg(ZH, "chain.ask_done", step="安全环保部 · 安全评估")]
    said = chat.run("SO1", "已评估：需断电检修")
    assert said.of("SO1") == [msg(ZH, "chain.done", step="安全环保部 · 安全评估")]
    notice = msg(ZH, "chain.reporter_done", code=code, step="安全环保部 · 安全评估",
                 progress="1/3")
    assert said.text("W01") == msg(ZH, "reporter.signed", notice=notice, who="李娜 (SO1)",
                                   when="11-30 09:00")
    assert any(line.startswith(TASK) for line in said.of("TL-ELEC"))
    assert states(chat, code)["repair"] == (StepState.OPEN, "TL-ELEC")


def test_done_takes_a_photo_and_every_step_done_resolves_the_ticket_as_a_fix(
    chat: Chat,
) -> None:
    code = report_cabinet(chat).code
    finish(chat, "SO1")
    confirm(chat, "DH-PROD", "!press 4 小时")
    finish(chat, "DH-PROD", "已调整冲压线排产")
    confirm(chat, "TL-ELEC")
    after = chat.photo("after.jpg", (40, 200, 40))
    said = chat.run("TL-ELEC", "!press 已完成", "/help", f"!photo {after}")
    ticket = chat.ticket(code)
    assert ticket.status is Status.RESOLVED and not ticket.chain_running
    assert ticket.after_photo is not None
    heard = said.of("W01")
    done = msg(ZH, "reporter.done", code=code, actor="孙强 (TL-ELEC)").splitlines()[0]
    assert done in heard
    assert any(line.startswith("🖼") for line in heard[heard.index(done):]), "before/after"
    assert until("ticket.verify", "card").strip() in said.of("SO1")
    chat.run("W01", "!wait 1d")
    chat.run("SO1", f"!button {encode(TicketButton(Action.CLOSE, code))}")
    assert chat.ticket(code).status is Status.CLOSED
    assert chain_of(chat, code).close_days == 1.0


def test_a_press_by_someone_else_is_refused_and_changes_nothing(chat: Chat) -> None:
    code = report_cabinet(chat).code
    for person in ("W02", "SO2", "TL-ELEC"):
        said = chat.run(person, button(chat, code, "assess", StepVerb.CONFIRM))
        assert said.of(person) == [msg("en" if person == "W02" else ZH,
                                       "chain.refused.step_not_yours")]
    assert states(chat, code)["assess"] == (StepState.OPEN, "SO1")


def test_a_replayed_press_and_a_press_on_a_finished_step_are_refused(chat: Chat) -> None:
    code = report_cabinet(chat).code
    confirm(chat, "SO1")
    again = chat.run("SO1", button(chat, code, "assess", StepVerb.CONFIRM))
    assert again.of("SO1") == [msg(ZH, "chain.refused.step_confirmed")]
    finish(chat, "SO1")
    for verb in StepVerb:
        said = chat.run("SO1", button(chat, code, "assess", verb))
        assert said.of("SO1") == [msg(ZH, "chain.refused.step_finished")]
    assert states(chat, code)["assess"][0] is StepState.DONE


def test_a_waiting_step_and_a_forged_step_are_refused(chat: Chat) -> None:
    code = report_cabinet(chat).code
    said = chat.run("TL-ELEC", button(chat, code, "repair", StepVerb.CONFIRM),
                    "!button c:done:99999", "!button c:explode:1")
    assert said.of("TL-ELEC") == [msg(ZH, "chain.refused.step_waiting"),
                                  msg(ZH, "chain.refused.step_unknown"),
                                  msg(ZH, "button.stale")]
    assert states(chat, code)["repair"] == (StepState.WAITING, None)


def test_a_hand_over_goes_to_a_colleague_who_must_confirm(chat: Chat) -> None:
    code = report_cabinet(chat).code
    asked = chat.run("SO1", "!press 转交")
    assert asked.of("SO1")[-1] == "[1] 王建国 (SM)  [2] 刘洋 (SO2)"
    said = chat.run("SO1", "!press 2")
    assert said.of("SO1") == [msg(ZH, "chain.handed", step="安全环保部 · 安全评估",
                                  person="刘洋 (SO2)")]
    assert said.of("SO2")[0].startswith(until("chain.task_handed", "actor"))
    assert states(chat, code)["assess"] == (StepState.OPEN, "SO2")
    old = chat.run("SO1", button(chat, code, "assess", StepVerb.DONE))
    assert old.of("SO1") == [msg(ZH, "chain.refused.step_not_yours")]
    confirm(chat, "SO2")
    assert states(chat, code)["assess"] == (StepState.CONFIRMED, "SO2")


def test_a_hand_over_to_someone_outside_the_department_is_asked_again(chat: Chat) -> None:
    code = report_cabinet(chat).code
    said = chat.run("SO1", "!press 转交", "TL-ELEC")
    assert said.of("SO1")[-2] == msg(ZH, "chain.handover_invalid")
    assert states(chat, code)["assess"] == (StepState.OPEN, "SO1")


def test_a_step_not_confirmed_reminds_its_holder_then_warns_the_superior_once(
    chat: Chat,
) -> None:
    code = report_cabinet(chat).code
    finish(chat, "SO1")
    early = chat.run("W01", "!wait 3h59m")
    assert not early.of("DH-PROD") and not early.of("SM")
    reminded = chat.run("W01", "!wait 1m")
    assert reminded.of("DH-PROD")[0] == until("chain.reminder", "code") + \
        f"{code}（配电柜异常联合处置）"
    assert not reminded.of("SM")
    warned = chat.run("W01", "!wait 1h")
    # No mail server in this plant: the warning reaches the superior in chat instead.
    assert warned.of("SM")[0] == "⚠️ 联合处置逾期预警：生产部 · 调整生产计划 未按时确认接收"
    assert "已逾期 1.0 小时" in warned.text("SM")
    later = chat.run("W01", "!wait 2d")
    assert not later.of("SM") and not later.of("DH-PROD")
    assert not any("升级" in line for line in later.lines), "the ticket's own clock waits"


def test_a_promise_not_kept_reminds_and_warns_again(chat: Chat) -> None:
    report_cabinet(chat)
    finish(chat, "SO1")
    confirm(chat, "DH-PROD")  # by 11:00
    said = chat.run("W01", "!wait 2h", "!wait 1h")
    assert said.of("DH-PROD")[0].startswith(until("chain.reminder", "code"))
    assert said.of("SM")[0] == "⚠️ 联合处置逾期预警：生产部 · 调整生产计划 未按承诺完成"


def test_a_finished_step_is_never_reminded(chat: Chat) -> None:
    report_cabinet(chat)
    finish(chat, "SO1")
    finish(chat, "DH-PROD")
    said = chat.run("W01", "!wait 1d")
    assert not said.of("SO1") and not said.of("DH-PROD")
    assert said.of("TL-ELEC"), "only the repair, opened later, is late"


def test_a_chain_ticket_judged_invalid_stops_its_steps(chat: Chat) -> None:
    code = report_cabinet(chat).code
    invalid = f"!button {encode(TicketButton(Action.INVALID, code))}"
    said = chat.run("SO2", invalid, "误报，是加热器")
    assert said.of("SO1")[-1] == msg(ZH, "chain.cancelled", code=code,
                                     chain="配电柜异常联合处置")
    assert {state for state, _ in states(chat, code).values()} == {StepState.CANCELLED}
    assert not chat.run("W01", "!wait 2d").of("DH-PROD")


def test_the_board_shows_each_departments_state_promise_and_lateness(chat: Chat) -> None:
    code = report_cabinet(chat).code
    finish(chat, "SO1")
    confirm(chat, "TL-ELEC")
    chat.run("W01", "!wait 5h")
    said = chat.run("SM", "/board")
    assert said.of("SM")[:3] == ["📊 联合处理看板（11-30 14:00）", "",
                                 f"🔗 {code} · 配电柜异常联合处置 · 进行中 1/3"]
    assert said.of("SM")[3].startswith("  安全环保部 · 安全评估 · 李娜 (SO1) · 已完成")
    assert said.of("SM")[4] == ("  设备部 · 断电检修 · 孙强 (TL-ELEC) · 已确认 · 逾期 3.0 小时"
                                " · 承诺 11-30 11:00 前完成")
    assert said.of("SM")[5] == ("  生产部 · 调整生产计划 · 赵磊 (DH-PROD) · 待确认 · 逾期 1.0 小时"
                                " · 请在 11-30 13:00 前确认接收")
    one = chat.run("DH-PROD", f"/board {code.lower()}")
    assert one.of("DH-PROD")[2] == said.of("SM")[2]


def test_the_board_is_for_safety_staff_heads_and_admins(chat: Chat) -> None:
    report_cabinet(chat)
    for person in ("W01", "TL-ELEC"):
        assert chat.run(person, "/board").of(person) == [msg(ZH, "board.not_allowed")]
    assert chat.run("ADMIN", "/board").of("ADMIN")[0].startswith("📊")
    assert chat.run("SO1", "/board HZ-000000-0000").of("SO1") == [
        msg(ZH, "board.no_chain", code="HZ-000000-0000")]


def test_the_board_says_when_nothing_runs(chat: Chat) -> None:
    assert chat.run("SM", "/board").of("SM") == [msg(ZH, "board.empty")]


def test_a_restart_between_the_press_and_the_answer_loses_nothing(
    chat: Chat, tmp_path: Path,
) -> None:
    code = report_cabinet(chat).code
    chat.run("SO1", "!press 确认接收")
    again = chat.restart()
    try:
        said = again.run("SO1", "3h")
        assert said.of("SO1")[0].startswith("✅")
        assert states(again, code)["assess"] == (StepState.CONFIRMED, "SO1")
    finally:
        again.close()


def test_the_board_is_sent_as_a_table_picture_with_late_steps_marked(chat: Chat) -> None:
    code = report_cabinet(chat).code
    finish(chat, "SO1")
    chat.run("W01", "!wait 5h")
    said = chat.run("SM", "/board")
    caption, image = said.of("SM")[-2:]
    assert caption == msg(ZH, "board.image", at="11-30 14:00", count=1)
    assert image.startswith("🖼")
    with chat.app.engine.connect() as connection:
        stored = connection.execute(
            select(OutboxRow.picture).where(col(OutboxRow.picture).is_not(None))
        ).scalars().all()
    [table] = [picture_from_json(data) for data in stored]
    assert isinstance(table, Table)
    assert table.headers == ("工单", "部门", "步骤", "负责人", "状态", "承诺/截止", "逾期(h)")
    assert table.rows == (
        (code, "安全环保部", "安全评估", "李娜 (SO1)", "已完成", "11-30 09:00", ""),
        (code, "设备部", "断电检修", "孙强 (TL-ELEC)", "待确认", "11-30 13:00", "1.0"),
        (code, "生产部", "调整生产计划", "赵磊 (DH-PROD)", "待确认", "11-30 13:00", "1.0"),
    )
    assert table.marks == ((0, 4, "done"), (1, 4, "late"), (1, 6, "late"),
                           (2, 4, "late"), (2, 6, "late"))
    assert draw(chat.app.services.photos, table).startswith(image.split()[1])

"""Inspection rounds in conversation, on the demo plant and the simulated clock: the day's
list, the reminder once, a missed round escalated to the safety manager once, /round and
/rounds in both languages, and a restart in the middle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat import Chat, Said, msg, msg_until

ZH, EN = "zh-CN", "en"
# The chat starts at 09:00 on Monday 30 November 2026 in Suzhou; rounds run 08:00–17:00.


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path, rounds=True)
    yield chat
    chat.close()


def missed_notices(said: Said, person: str, title: str, lang: str = ZH) -> int:
    """How many missed-round notices about `title` the person received."""
    head = msg(lang, "round.missed_manager", title=title, assignee="", window="", state="",
               checkpoints="").splitlines()[0]
    return said.of(person).count(head)


def reminders(said: Said, person: str, title: str, lang: str = ZH) -> int:
    head = msg_until(lang, "round.reminder", "closes", title=title, left="", checkpoints="")
    return sum(line.startswith(head) for line in said.of(person))


def test_each_inspector_hears_of_the_days_rounds_once(chat: Chat) -> None:
    said = chat.run("SO1", "!wait 1m")
    first_line = msg(ZH, "rounds.announce", date="2026-11-30", lines="").splitlines()[0]
    assert said.of("SO1").count(first_line) == 1 and said.of("SO2").count(first_line) == 1
    so1, so2 = said.text("SO1"), said.text("SO2")
    assert "冲压车间（CP-STAMP-1、CP-STAMP-2）" in so1 and "仓库（CP-WH-1）" in so2
    assert "08:00–12:00 机加工车间 · CNC-07 在线监测点检（CP-MACH-1）" in so1
    assert "仓库" not in so1 and "冲压车间" not in so2  # SO1 the A and B areas, SO2 the C ones
    assert first_line not in chat.run("SO1", "!wait 2h").text("SO1")  # not again that day


def test_the_reminder_comes_once_two_hours_before_the_window_closes(chat: Chat) -> None:
    said = chat.run("SO1", "!wait 5h59m")  # 14:59
    assert reminders(said, "SO1", "冲压车间") == 0
    said = chat.run("SO1", "!wait 1m")  # 15:00
    assert reminders(said, "SO1", "冲压车间") == 1
    assert "尚未完成的巡检点：CP-STAMP-1、CP-STAMP-2" in said.text("SO1")
    assert reminders(chat.run("SO1", "!wait 1h30m"), "SO1", "冲压车间") == 0


def test_a_missed_round_is_escalated_to_the_safety_manager_once(chat: Chat) -> None:
    said = chat.run("SO1", "!wait 7h59m")  # 16:59: only CNC-07's morning check closed (12:00)
    assert missed_notices(said, "SM", "冲压车间") == 0
    assert missed_notices(said, "SM", "机加工车间 · CNC-07 在线监测点检") == 1
    said = chat.run("SO1", "!wait 1m")  # 17:00
    assert missed_notices(said, "SM", "冲压车间") == 1
    sm = said.text("SM")
    assert "巡检员：李娜 (SO1)" in sm and "结果：漏检" in sm
    assert "未完成的巡检点：CP-STAMP-1、CP-STAMP-2" in sm
    told = msg_until(ZH, "round.missed_assignee", "window", title="冲压车间", state="",
                     checkpoints="")
    assert sum(line.startswith(told) for line in said.of("SO1")) == 1
    assert missed_notices(said, "SM", "机加工车间 · CNC-07 在线监测点检") == 1  # the afternoon
    # Days later Monday's STAMP round is not told again; only later days' rounds are.
    later = chat.run("SO1", "!wait 2d")
    assert missed_notices(later, "SM", "冲压车间") == 2  # Tuesday's and Wednesday's
    assert "时段：2026-11-30" not in later.text("SM")


def test_round_shows_my_rounds_today_with_the_checkpoints_left_in_both_languages(
    chat: Chat,
) -> None:
    assert chat.run("SO1", "/round").of("SO1") == [msg(ZH, "round.none")]  # nothing planned yet
    chat.run("SO1", "!wait 1h")  # 10:00: generated
    zh = chat.run("SO1", "/round").text("SO1")
    assert zh.startswith(msg_until(ZH, "round.today", "rounds", date="2026-11-30"))
    stamp = "冲压车间\n08:00–17:00 · 还剩 7 小时 0 分 · 已完成 0/2\n⬜ CP-STAMP-1\n⬜ CP-STAMP-2"
    assert stamp in zh
    assert "13:00–17:00 · 13:00 开始 · 已完成 0/1" in zh  # CNC-07's afternoon check
    chat.run("SO1", "/lang en", "!wait 3h")  # 13:00: the morning check of CNC-07 was missed
    en = chat.run("SO1", "/round").text("SO1")
    assert en.startswith("📋 My rounds (2026-11-30)")
    assert "Stamping shop\n08:00–17:00 · 4 h 0 min left · 0/2 done\n⬜ CP-STAMP-1" in en
    assert "Machining shop · CNC-07 monitored machine check\n08:00–12:00 · missed · 0/1 done" in en
    assert chat.run("W02", "/round").of("W02") == [msg(EN, "round.none")]


def test_rounds_gives_safety_staff_the_weeks_coverage_in_both_languages(chat: Chat) -> None:
    chat.run("SO1", "!wait 9h")  # 18:00 Monday: every Monday round closed, missed
    zh = chat.run("SM", "/rounds").text("SM")
    assert zh.startswith("📊 巡检覆盖 2026-W49（2026-11-30 至 2026-12-06）")
    assert "冲压车间（A 类）：共 2 次，按时 0，迟检 0，部分完成 0，漏检 1，未截止 1" in zh
    assert "仓库（C 类）：共 1 次，按时 0，迟检 0，部分完成 0，漏检 1，未截止 0" in zh
    en = chat.run("SO2", "/lang en", "/rounds").text("SO2")
    assert "Warehouse (class C): 1 in all: 0 on time, 0 late, 0 partly done, 1 missed" in en
    assert chat.run("ADMIN", "/rounds 2026-W48").of("ADMIN") == [
        msg(ZH, "rounds.none", week="2026-W48")]
    assert chat.run("ADMIN", "/rounds next week").of("ADMIN") == [msg(ZH, "rounds.usage")]
    assert chat.run("W01", "/rounds").of("W01") == [msg(ZH, "rounds.not_allowed")]


def test_help_offers_round_to_inspectors_and_rounds_to_safety_staff(chat: Chat) -> None:
    def offers(person: str) -> set[str]:
        text = chat.run(person, "/help").text(person)
        return {word for word in text.split() if word in ("/round", "/rounds")}

    assert offers("SO1") == offers("SM") == {"/round", "/rounds"}
    assert offers("ADMIN") == {"/rounds"}
    assert offers("W01") == offers("TL-MECH") == set()


def test_a_restart_in_the_middle_neither_repeats_nor_loses_a_round(chat: Chat) -> None:
    chat.run("SO1", "!wait 1m")
    with chat.app.services.uow() as uow:
        before = [(r.plan, r.area, r.opens_at) for r in uow.rounds.between(*_week(chat))]
    again = chat.restart()
    try:
        said = again.run("SO1", "!wait 8h")  # to 17:01, in a new process
        with again.app.services.uow() as uow:
            after = [(r.plan, r.area, r.opens_at) for r in uow.rounds.between(*_week(again))]
        assert after == before
        first_line = msg(ZH, "rounds.announce", date="2026-11-30", lines="").splitlines()[0]
        assert first_line not in said.text("SO1")
        assert missed_notices(said, "SM", "冲压车间") == 1
    finally:
        again.close()


def _week(chat: Chat) -> tuple[object, object]:
    from core.round_coverage import week_bounds

    return week_bounds(chat.plant, 2026, 49)


def test_a_round_done_by_check_in_shows_ticked_and_closes_complete_untold(chat: Chat) -> None:
    chat.run("SO1", "!wait 1m", "/checkin", "!location 31.31910 120.71990 8",  # CP-WELD-1
             *["!press 1"] * 15)  # every item of its checklist OK
    mine = chat.run("SO1", "/round").text("SO1")
    assert "焊接车间\n08:00–17:00 · 还剩 7 小时 59 分 · 已完成 1/1\n✅ CP-WELD-1" in mine
    assert "冲压车间\n08:00–17:00 · 还剩 7 小时 59 分 · 已完成 0/2\n⬜ CP-STAMP-1" in mine
    said = chat.run("SO1", "!wait 8h")  # past 17:00
    assert reminders(said, "SO1", "焊接车间") == 0  # nothing left to remind of
    assert missed_notices(said, "SM", "焊接车间") == 0 and missed_notices(said, "SM", "冲压车间")
    coverage = chat.run("SM", "/rounds").text("SM")
    assert "焊接车间（A 类）：共 2 次，按时 1，迟检 0，部分完成 0，漏检 0，未截止 1" in coverage

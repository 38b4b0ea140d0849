"""/incident in-process: the safety manager records an injury; everyone else, and every bad
answer, is refused politely and records nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from storage.tables import InjuryRow
from tests.chat import Chat, msg

ZH, EN = "zh-CN", "en"
# The demo plant's third department and the buttons' places on their steps.
PROD, LOST_TIME, FIRST_AID = "!press 3", "!press 3", "!press 1"
SUBMIT, CANCEL = "!press 1", "!press 2"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)  # today is 2026-11-30 in the plant
    yield chat
    chat.close()


def injuries(chat: Chat) -> list[tuple[str, str | None, str, str, str, int, str]]:
    with chat.app.services.uow() as uow:
        rows = uow.session.exec(select(InjuryRow).order_by(InjuryRow.id)).all()
        return [(r.day.isoformat(), r.person, r.name, r.department, r.kind, r.lost_days,
                 r.recorded_by) for r in rows]


def test_the_safety_manager_records_a_lost_time_injury_of_a_person_on_the_roster(
        chat: Chat) -> None:
    said = chat.run("SM", "/incident", "2026-11-28", "w01", PROD, LOST_TIME, "5").of("SM")
    assert said[0] == msg(ZH, "incident.ask_date", today="2026-11-30")
    assert msg(ZH, "incident.ask_department", name="马晓东") in said
    assert msg(ZH, "incident.ask_lost_days") in said
    assert said[-1] == "[1] 提交  [2] 取消"
    done = chat.run("SM", "!press 1").of("SM")
    assert msg(ZH, "incident.saved", date="2026-11-28", name="马晓东",
               kind=msg(ZH, "incident.kind.lost_time")) in done
    assert injuries(chat) == [("2026-11-28", "W01", "马晓东", "PROD", "lost_time", 5, "SM")]
    with chat.app.services.uow() as uow:
        assert [e.action for e in uow.audit.find(subject="injury:2026-11-28")] == [
            "InjuryRecorded"]


def test_someone_off_the_roster_is_kept_by_name_and_first_aid_asks_no_lost_days(
        chat: Chat) -> None:
    said = chat.run("SM", "/incident", "11月29日", "张三（承包商）", PROD, FIRST_AID).of("SM")
    assert msg(ZH, "incident.ask_lost_days") not in said
    assert msg(ZH, "incident.summary", date="2026-11-29", name="张三（承包商）",
               department="生产部", kind="急救", lost_days="0") in "\n".join(said)
    chat.run("SM", SUBMIT)
    assert injuries(chat) == [("2026-11-29", None, "张三（承包商）", "PROD", "first_aid", 0, "SM")]


@pytest.mark.parametrize(("person", "lang"), [("W01", ZH), ("SO1", ZH), ("W02", EN)])
def test_only_the_safety_manager_may_record_injuries(chat: Chat, person: str, lang: str) -> None:
    said = chat.run(person, "/incident", "2026-11-28").of(person)
    assert said[0] == msg(lang, "incident.not_allowed")
    assert injuries(chat) == []


def test_bad_answers_are_refused_and_the_question_stays(chat: Chat) -> None:
    said = chat.run("SM", "/incident", "昨天", "2026-12-05", "2026-02-30").of("SM")
    assert said[1:] == [msg(ZH, "incident.date_invalid", text="昨天"),
                        msg(ZH, "incident.date_future", date="2026-12-05", today="2026-11-30"),
                        msg(ZH, "incident.date_invalid", text="2026-02-30")]
    said = chat.run("SM", "2026-11-30", "W01", PROD, "骨折").of("SM")
    assert said[-2:] == [msg(ZH, "incident.kind_invalid"), "[1] 急救  [2] 可记录  [3] 损工"]
    said = chat.run("SM", LOST_TIME, "0", "三天", "4000").of("SM")
    assert said[1:] == [msg(ZH, "incident.lost_days_invalid", text="0"),
                        msg(ZH, "incident.lost_days_invalid", text="三天"),
                        msg(ZH, "incident.lost_days_invalid", text="4000")]
    assert injuries(chat) == []
    chat.run("SM", "3", SUBMIT)
    assert injuries(chat) == [("2026-11-30", "W01", "马晓东", "PROD", "lost_time", 3, "SM")]


def test_cancelling_at_the_summary_records_nothing(chat: Chat) -> None:
    said = chat.run("SM", "/incident", "2026-11-30", "W01", PROD, FIRST_AID, CANCEL).of("SM")
    assert said[-1] == msg(ZH, "incident.cancelled")
    assert injuries(chat) == []


def test_a_restart_in_the_middle_loses_no_answer(chat: Chat) -> None:
    chat.run("SM", "/incident", "2026-11-27", "W01")
    again = chat.restart()
    try:
        # The new process's shell has no buttons on screen: the answer is typed.
        again.run("SM", "3", LOST_TIME, "2", SUBMIT)
        assert injuries(again) == [("2026-11-27", "W01", "马晓东", "PROD", "lost_time", 2, "SM")]
    finally:
        again.close()


def test_help_lists_incident_for_the_safety_manager_only(chat: Chat) -> None:
    assert msg(ZH, "help.incident") in chat.run("SM", "/help").text("SM")
    assert msg(ZH, "help.incident") not in chat.run("W01", "/help").text("W01")

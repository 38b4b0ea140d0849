"""Where issue 11's parts meet: a joiner's name on the card, in /status and in the export,
and the joiner may open the ticket; chain and major-hazard news reach the reporter signed and
reach the joiners too; a plan added from a trend warning reads as a title in rounds; the
judge's Duplicate list puts the suggested match first."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

from core.chains import StepState
from handlers.i18n import t
from reports.ledger_xlsx import ledger_workbook
from reports.ticket_export import export_csv
from tests.chat import DEMO_PLANT, Chat, Said, msg, msg_until
from tests.databases import plant_from
from tests.trend_data import leak_story, store, with_leaks

ZH, EN = "zh-CN", "en"
MACHINING = "!location 31.3172 120.7208 12"  # by CNC-07, where Chat.report files
JOINER = "林嘉欣 (W02)"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def report(chat: Chat, person: str, *, equipment: str, category: int, colour: tuple[int, int, int],
           where: str = MACHINING, area: int | None = None) -> Said:
    """A report up to its submit (by location, or by the area's button): what was said."""
    photo = chat.photo(f"{person}-{colour}.jpg", colour)
    place = f"!press {area}" if area is not None else where
    return chat.run(person, "/report", f"!photo {photo}", "!press 1", place, equipment,
                    "同一处隐患，再次看到", f"!press {category}", "!press 2", "!press 1")


def joined(chat: Chat, person: str = "W02", **where: object) -> str:
    """The person reports what W01 reported at CNC-07 and joins W01's ticket; its code."""
    code = chat.report().code
    said = report(chat, person, equipment="CNC-07", category=2, colour=(40, 40, 200), **where)
    assert msg(EN, "button.file_anyway") in said.text(person)
    chat.run(person, "!press 1")
    with chat.app.services.uow() as uow:
        assert uow.duplicates.followers(code) == [person]
    return code


# --- 1. joiners shown on the card, in /status, in the export; a joiner may view the ticket

def test_the_card_names_who_joined_and_says_nothing_when_nobody_did(chat: Chat) -> None:
    alone = chat.report().code
    card = chat.run("TL-MECH", f"/status {alone}").text("TL-MECH")
    assert f"📋 {alone}" in card
    assert msg_until(ZH, "ticket.joined_by", "names") not in card


def test_status_and_the_team_leads_card_name_the_joiner(tmp_path: Path) -> None:
    chat = Chat(tmp_path)
    code = joined(chat)
    line_zh = msg(ZH, "ticket.joined_by", names=JOINER)
    assert line_zh == "一同上报：林嘉欣 (W02)"
    assert line_zh in chat.run("TL-MECH", f"/status {code}").text("TL-MECH")
    assert line_zh in chat.run("SO1", f"/status {code}").text("SO1")
    accepted = chat.run("TL-MECH", f"!button t:accept:{code}")  # the card edited in place
    assert line_zh in accepted.text("TL-MECH")
    chat.close()


def test_a_joiner_may_open_the_ticket_they_joined_in_their_language(chat: Chat) -> None:
    code = joined(chat)
    shown = chat.run("W02", f"/status {code}").text("W02")
    assert msg(EN, "refused.not_yours", code=code) not in shown
    assert code in shown and msg(EN, "ticket.joined_by", names=JOINER) in shown
    # Someone who neither reported nor joined it still may not.
    assert chat.run("W03", f"/status {code}").text("W03") == msg(ZH, "refused.not_yours",
                                                                 code=code)


def test_the_export_lists_who_joined_in_json_csv_and_xlsx(chat: Chat) -> None:
    code = joined(chat)
    other = chat.report("W03", category=3, colour=(20, 200, 20)).code
    records = {record["code"]: record for record in chat.records()}
    assert records[code]["joined_by"] == ["W02"] and records[other]["joined_by"] == []
    with chat.app.services.uow() as uow:
        tickets, joiners = list(uow.tickets.all()), uow.duplicates.followers_by_ticket()
    assert joiners == {code: ["W02"]}
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(
        export_csv(chat.plant, tickets, joiners).decode("utf-8-sig")))}
    assert rows[code]["joined_by"] == "W02" and rows[other]["joined_by"] == ""
    book = ledger_workbook(chat.plant, tickets, [], exported_at=datetime(2026, 12, 1, tzinfo=UTC),
                           say=partial(t, ZH), joined_by=joiners)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[2]]
    column = header.index(msg(ZH, "export.col.joined_by"))
    cells = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=3)}
    assert cells == {code: JOINER, other: None}


# --- 2. chain and major-hazard news: signed, and heard by the joiners too

def test_a_chain_step_reaches_the_reporter_signed_and_the_joiner_too(chat: Chat) -> None:
    report(chat, "W01", equipment="DB-STAMP-1", category=1, colour=(200, 40, 40), area=1)
    code = chat.ticket().code
    said = report(chat, "W02", equipment="DB-STAMP-1", category=1, colour=(40, 40, 200), area=1)
    assert msg(EN, "button.file_anyway") in said.text("W02")
    chat.run("W02", "!press 1")
    confirmed = chat.run("SO1", "!press 确认接收", "!press 2 小时")
    step_zh, step_en = "安全环保部 · 安全评估", "Safety & Environment · Safety assessment"
    notice = msg(ZH, "chain.reporter_confirmed", code=code, step=step_zh,
                 promised="11-30 11:00", progress="0/3")
    assert confirmed.text("W01") == msg(ZH, "reporter.signed", notice=notice,
                                        who="李娜 (SO1)", when="11-30 09:00")
    heard = confirmed.text("W02")
    assert msg_until(EN, "chain.reporter_confirmed", "step", code=code, promised="",
                     progress="") in heard
    assert "李娜 (SO1) · 11-30 09:00" in heard
    assert step_zh not in heard and step_en.split(" · ")[0] in heard  # in the joiner's language
    done = chat.run("SO1", "!press 已完成", "已评估：需断电检修")
    assert msg(ZH, "chain.reporter_done", code=code, step=step_zh, progress="1/3") in \
        done.text("W01")
    assert msg_until(EN, "chain.reporter_done", "step", code=code, progress="") in done.text("W02")
    with chat.app.services.uow() as uow:
        chain = uow.chains.get(code)
    step = chain.step("assess") if chain else None
    assert step is not None and step.state is StepState.DONE


def test_a_major_hazard_grading_reaches_the_reporter_signed_and_the_joiner_too(
    chat: Chat,
) -> None:
    code = joined(chat)
    said = chat.run("SM", f"/major {code}")
    assert said.text("W01") == msg(ZH, "reporter.signed", who="王建国 (SM)", when="11-30 09:00",
                                   notice=msg(ZH, "reporter.major", code=code))
    assert msg(EN, "reporter.major", code=code) in said.text("W02")


# --- 3. a plan added from a trend warning reads as a title in the rounds

def test_rounds_of_a_plan_added_from_a_trend_warning_have_a_readable_title(
    tmp_path: Path,
) -> None:
    chat = Chat(tmp_path, plant=with_leaks(plant_from(DEMO_PLANT)), rounds=True)
    store(chat.app.engine, *leak_story(chat.plant, chat.clock.now()))
    said = chat.run("SM", "!wait 1m", "!press 1", "!wait 1d")
    told = "\n".join(said.lines)
    assert "trend-CNC-07" not in told
    assert "机加工车间 · CNC-07 重点监控（冷却液泄漏）" in said.text("SO1")
    chat.close()


# --- 4. Duplicate puts the suggested match first

def test_the_duplicate_list_puts_the_suggested_match_first(chat: Chat) -> None:
    # The suggestion: a mechanical report a few metres away, at no equipment.
    suggested = report(chat, "W01", equipment="none", category=2, colour=(200, 40, 40))
    first = chat.ticket().code
    assert suggested.of("W01")
    # Another open ticket in the same shop, at CNC-07: without the suggestion it would lead.
    chat.report("W03", equipment="CNC-07", category=1, colour=(20, 200, 20))
    report(chat, "W02", equipment="CNC-07", category=2, colour=(40, 40, 200))
    chat.run("W02", "!press 2")  # file anyway
    new = chat.ticket()
    assert new.suspected_duplicate_of == first
    asked = chat.run("SO1", f"!button t:duplicate:{new.code}").text("SO1")
    assert asked.splitlines()[-1].startswith(f"[1] {first} · ")
    chat.run("SO1", "!press 1")
    assert chat.ticket(new.code).duplicate_of == first

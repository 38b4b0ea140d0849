"""A report draft left for 30 minutes: its reporter hears once that it is kept, where it
waits, and how to go on or cancel; the draft then goes on as if nothing happened."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from core.dialog import ChatKey, Conversation, StoredRecord
from handlers.draft_nudges import nudge_idle_drafts
from scheduler import jobs
from tests.chat import START, Chat, Said, msg

ZH, EN = "zh_CN", "en"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def nudges(said: Said, person: str = "W01", lang: str = ZH) -> list[str]:
    """The draft-kept messages a person received (any step, any keep time)."""
    head = msg(lang, "report.draft_kept", step="\x00", until="\x00").partition("\x00")[0]
    return [line for line in said.of(person) if line.startswith(head)]


def kept(lang: str, step: str, until: str) -> str:
    return msg(lang, "report.draft_kept", step=msg(lang, f"field.{step}"), until=until)


def start_report(chat: Chat, person: str = "W01") -> None:
    """A report left at the photo step, one photo in (09:00 on 30 November)."""
    photo = chat.photo(f"{person}.jpg", (200, 40, 40))
    chat.run(person, "/report", f"!photo {photo}")


def test_a_draft_is_nudged_once_at_30_minutes_not_at_29_and_not_again_at_60(
    chat: Chat,
) -> None:
    start_report(chat)

    assert nudges(chat.run("W01", "!wait 29m")) == []
    at_30 = chat.run("W01", "!wait 1m")
    assert at_30.of("W01") == [kept(ZH, "photo", "12-01 09:00")]
    assert nudges(chat.run("W01", "!wait 30m")) == []
    assert nudges(chat.run("W01", "!wait 5h")) == []


def test_a_touched_draft_left_again_is_nudged_again_at_its_new_step(chat: Chat) -> None:
    start_report(chat)
    assert len(nudges(chat.run("W01", "!wait 30m"))) == 1

    chat.run("W01", "!press 1")  # photos done: the location step, at 09:30
    assert nudges(chat.run("W01", "!wait 29m")) == []
    again = chat.run("W01", "!wait 1m")
    assert nudges(again) == [kept(ZH, "location", "12-01 09:30")]
    assert nudges(chat.run("W01", "!wait 2h")) == []


def test_the_draft_goes_on_normally_after_the_nudge(chat: Chat) -> None:
    start_report(chat)
    chat.run("W01", "!wait 45m")

    said = chat.run("W01", "!press 1", "!location 31.3172 120.7208 12", "CNC-07",
                    "主轴防护罩破损，铁屑飞溅", "!press 2", "!press 2", "!press 1")

    assert msg(ZH, "conversation.expired") not in said
    ticket = chat.ticket()
    assert (ticket.equipment, ticket.description) == ("CNC-07", "主轴防护罩破损，铁屑飞溅")
    assert len(ticket.photos) == 1
    assert nudges(chat.run("W01", "!wait 2h")) == []


def test_a_submitted_or_cancelled_report_is_never_nudged(chat: Chat) -> None:
    chat.report("W01")
    start_report(chat, "W03")
    chat.run("W03", "/cancel")

    said = chat.run("W01", "!wait 1h")  # past the nudge, before any ticket reminder

    assert nudges(said, "W01") == [] and nudges(said, "W03") == []


def test_the_nudge_is_in_the_reporters_language_and_in_their_own_chat(chat: Chat) -> None:
    start_report(chat, "W02")  # W02 reads English
    start_report(chat, "W01")

    said = chat.run("W01", "!wait 30m")

    assert said.of("W02") == [kept(EN, "photo", "12-01 09:00")]
    assert said.of("W01") == [kept(ZH, "photo", "12-01 09:00")]


def test_each_step_the_draft_can_wait_at_has_a_name_in_the_nudge(chat: Chat) -> None:
    start_report(chat)
    chat.run("W01", "!press 1", "!location 31.3172 120.7208 12", "CNC-07",
             "主轴防护罩破损，铁屑飞溅", "!press 2", "!press 2")  # at the summary now

    said = chat.run("W01", "!wait 30m")

    assert nudges(said) == [kept(ZH, "confirm", "12-01 09:00")]


def test_a_restart_neither_loses_nor_repeats_a_nudge(chat: Chat) -> None:
    start_report(chat)
    chat.run("W01", "!wait 10m")
    chat = chat.restart()  # before the nudge
    try:
        assert len(nudges(chat.run("W01", "!wait 20m"))) == 1
        chat = chat.restart()  # after it
        assert nudges(chat.run("W01", "!wait 1h")) == []
        # The old process's buttons are gone from the terminal; typing the number still works.
        going_on = chat.run("W01", "1")
        assert msg(ZH, "report.ask_location") in going_on.text("W01")
    finally:
        chat.close()


def test_sweeping_twice_at_the_same_moment_nudges_once(chat: Chat) -> None:
    start_report(chat)
    chat.clock.set(START + timedelta(minutes=30))

    assert jobs.run_all(chat.app.services) == 1
    assert jobs.run_all(chat.app.services) == 0
    assert len(nudges(chat.deliver())) == 1


def test_a_draft_older_than_a_day_is_not_said_to_be_kept(chat: Chat) -> None:
    # As if the bot was down the whole time: the draft has expired, so no "kept" message.
    with chat.app.services.uow() as uow:
        uow.conversations.save(Conversation(
            key=ChatKey("terminal", "W01", "W01"), flow="report", step="PHOTO",
            updated_at=START - timedelta(hours=25), data=StoredRecord(data={"photos": []}),
            rev=1))
        uow.commit()

    assert nudges(chat.run("W01", "!wait 1h")) == []


def test_the_idle_time_comes_from_plant_yaml(tmp_path: Path) -> None:
    demo = Chat(tmp_path / "demo")
    plant = replace(demo.plant, reminders=replace(demo.plant.reminders, draft="45m"))
    demo.close()
    chat = Chat(tmp_path / "own", plant=plant)
    try:
        start_report(chat)
        assert nudges(chat.run("W01", "!wait 44m")) == []
        assert len(nudges(chat.run("W01", "!wait 1m"))) == 1
    finally:
        chat.close()


def test_many_idle_drafts_are_told_a_batch_at_a_time_each_once(chat: Chat) -> None:
    people = ["W01", "W02", "W03", "W04", "W05"]
    for person in people:
        start_report(chat, person)
    chat.clock.set(START + timedelta(minutes=30))

    assert nudge_idle_drafts(chat.app.services, batch=2) == 5
    assert nudge_idle_drafts(chat.app.services, batch=2) == 0
    said = chat.deliver()
    assert all(len(said.of(person)) == 1 for person in people)

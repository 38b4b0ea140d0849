"""During a report, whatever a button offers can be typed, and typed text is not thrown away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat import Chat, Said, msg

ZH = "zh-CN"
ON_SITE = "!location 31.3172 120.7208 12"  # the machining shop, where CNC-07 stands
DESCRIPTION = "主轴防护罩破损，铁屑飞溅"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def buttons(said: Said, person: str = "W01") -> dict[str, str]:
    """The last row of buttons `person` saw, as {label: number}."""
    row = [line for line in said.of(person) if line.startswith("[1] ")][-1]
    return {label: number for number, label in re.findall(r"\[(\d+)\] (.+?)(?=  \[|$)", row)}


def start(chat: Chat, person: str = "W01") -> Said:
    """A report begun with one photo and the photos finished; the area question is open."""
    # Each person's own photo: the same bytes again would be offered as a duplicate.
    photo = chat.photo(f"{person}.jpg", (200, 40, 40) if person == "W01" else (40, 40, 200))
    return chat.run(person, "/report", f"!photo {photo}", "!press 1")


def test_a_worker_who_types_the_no_equipment_label_reports_without_equipment(chat: Chat) -> None:
    start(chat)
    out = chat.run("W01", ON_SITE, "无设备")
    assert out.of("W01")[-1] == msg(ZH, "report.ask_description")
    chat.run("W01", DESCRIPTION, "!press 2", "!press 1", "!press 1")
    assert chat.ticket().equipment is None


def test_a_worker_who_types_the_number_of_the_no_equipment_button_chooses_it(
    chat: Chat,
) -> None:
    start(chat)
    asked = chat.run("W01", ON_SITE)
    out = chat.run("W01", buttons(asked)["无设备"])
    assert out.of("W01")[-1] == msg(ZH, "report.ask_description")


def test_a_category_typed_by_its_number_or_its_label_in_any_case_is_chosen(chat: Chat) -> None:
    start(chat)
    asked = chat.run("W01", ON_SITE, "CNC-07", DESCRIPTION)
    assert buttons(asked)["消防隐患"] == "3"
    chat.run("W01", "3", "!press 1", "!press 1")
    assert chat.ticket().category == "fire"

    start(chat, "W02")
    chat.run("W02", ON_SITE, "CNC-07", "The spindle guard is broken", "  MECHANICAL ",
             "!press 1", "!press 1")
    assert chat.ticket().category == "mechanical"


@pytest.mark.parametrize("typed", ["1", "照片已发完"])
def test_typing_the_photos_done_button_at_the_photo_step_finishes_the_photos(
    chat: Chat, typed: str,
) -> None:
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    out = chat.run("W01", "/report", f"!photo {photo}", typed)
    assert msg(ZH, "report.ask_location") in out.of("W01")


def test_every_step_takes_its_buttons_typed_by_label_or_number(chat: Chat) -> None:
    asked = start(chat)
    out = chat.run("W01", buttons(asked)["机加工车间"])
    assert msg(ZH, "report.area_set", area="机加工车间") in out.of("W01")
    chat.run("W01", "CNC-07", DESCRIPTION, "2", "一般")
    edit = chat.run("W01", "修改")
    assert msg(ZH, "report.ask_edit") in edit.of("W01")
    chat.run("W01", buttons(edit)["紧急程度"], "2", "提交")
    ticket = chat.ticket()
    assert (ticket.area, ticket.category, ticket.urgency) == ("MACH", "mechanical", "serious")


def test_a_description_typed_at_the_photo_step_is_kept_and_not_asked_again(chat: Chat) -> None:
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    out = chat.run("W01", "/report", f"!photo {photo}", DESCRIPTION)
    assert msg(ZH, "report.description_kept_more", description=DESCRIPTION) in out.text("W01")
    assert out.of("W01")[-1] == "[1] 照片已发完"
    rest = chat.run("W01", "!press 1", ON_SITE, "CNC-07")
    assert msg(ZH, "report.ask_description") not in rest.of("W01")
    assert msg(ZH, "report.ask_category") in rest.of("W01")
    summary = chat.run("W01", "!press 2", "!press 2")
    assert f"描述：{DESCRIPTION}" in summary.of("W01")
    chat.run("W01", "!press 1")
    assert chat.ticket().description == DESCRIPTION


def test_a_description_typed_before_the_first_photo_is_kept_and_stays_editable(
    chat: Chat,
) -> None:
    out = chat.run("W01", "/report", DESCRIPTION)
    assert msg(ZH, "report.description_kept", description=DESCRIPTION) in out.text("W01")
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    chat.run("W01", f"!photo {photo}", "!press 1", ON_SITE, "CNC-07", "!press 2", "!press 2")
    edit = chat.run("W01", "!press 2")
    asked = chat.run("W01", buttons(edit)["描述"])
    assert asked.of("W01")[-1] == msg(ZH, "report.ask_description")
    summary = chat.run("W01", "防护栏松动，有坠落风险")
    assert "描述：防护栏松动，有坠落风险" in summary.of("W01")
    chat.run("W01", "!press 1")
    assert chat.ticket().description == "防护栏松动，有坠落风险"


def test_a_too_short_text_or_a_done_word_at_the_photo_step_is_not_kept(chat: Chat) -> None:
    out = chat.run("W01", "/report", "done")
    assert out.of("W01")[-1] == msg(ZH, "report.photo_needed")
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    out = chat.run("W01", f"!photo {photo}", "好的")
    assert out.of("W01")[-2:] == [msg(ZH, "report.photo_more"), "[1] 照片已发完"]
    asked = chat.run("W01", "!press 1", ON_SITE, "CNC-07")
    assert asked.of("W01")[-1] == msg(ZH, "report.ask_description")


def test_the_same_photo_sent_twice_is_answered_already_received_and_counted_once(
    chat: Chat,
) -> None:
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    out = chat.run("W01", "/report", f"!photo {photo}", f"!photo {photo}")
    said = out.of("W01")
    assert said.count(msg(ZH, "report.photo_received", count=1)) == 1
    assert msg(ZH, "report.photo_duplicate", count=1) in said
    summary = chat.run("W01", "!press 1", ON_SITE, "CNC-07", DESCRIPTION, "!press 2", "!press 2")
    assert "照片：1 张" in summary.of("W01")
    chat.run("W01", "!press 1")
    assert len(chat.ticket().photos) == 1


def test_a_refused_choice_shows_its_buttons_again_even_after_a_restart(chat: Chat) -> None:
    start(chat)
    chat.run("W01", ON_SITE, "CNC-07", DESCRIPTION)
    again = chat.restart()
    try:
        out = again.run("W01", "火灾")
        said = out.of("W01")
        assert said[0] == msg(ZH, "report.category_invalid")
        assert buttons(out)["消防隐患"] == "3"
        again.run("W01", "!press 3", "!press 1", "!press 1")
        assert again.ticket().category == "fire"
    finally:
        again.close()

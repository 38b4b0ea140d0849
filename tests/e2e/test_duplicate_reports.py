"""Reports of a hazard already reported, as scripted sessions in the shell's line language:
offered the open ticket before filing, joined (no ticket, no points, every later step heard)
or filed anyway (the judge sees the suggested match); each rule that makes a match and what
does not; a reused photo that earns no points."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.duplicates import SAME_SPOT_M
from tests.chat import Chat, Said, msg, msg_until
from tests.scenes import scene_file

ZH, EN = "zh-CN", "en"
# By checkpoint CP-MACH-1 in the machining shop (机加工车间), where CNC-07 stands.
LAT, LON = 31.31690, 120.71975
METRE_NORTH = 1 / 111_195.08  # degrees of latitude in a metre, on the haversine's sphere
# By CP-MACH-2, the grinding bay of the same shop: some 76 m from the point above.
GRINDING_BAY = "!location 31.31650 120.72040 8"
MECHANICAL, ELECTRICAL = 2, 1  # the category buttons, in plant.yaml's order
DESCRIPTION = "主轴防护罩松动，运转时有异响"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def at(metres_north: float = 0.0) -> str:
    return f"!location {LAT + metres_north * METRE_NORTH:.7f} {LON} 8"


def report(chat: Chat, person: str, photo: Path, *, where: str = at(),
           equipment: str = "none", category: int = MECHANICAL) -> Said:
    """A report up to its summary's submit: what everyone was told on the way."""
    return chat.run(person, "/report", f"!photo {photo}", "!press 1", where, equipment,
                    DESCRIPTION, f"!press {category}", "!press 2", "!press 1")


def offered(said: Said, person: str, lang: str) -> bool:
    return msg(lang, "button.file_anyway") in said.text(person)


def count(chat: Chat) -> int:
    return len(chat.records())


def balance(chat: Chat, person: str) -> int:
    with chat.app.services.uow() as uow:
        return uow.points.balance(person)


def test_a_report_like_an_open_ticket_is_offered_it_and_joining_opens_no_ticket(
    chat: Chat,
) -> None:
    first = report(chat, "W01", chat.photo("first.jpg", (200, 40, 40)), equipment="CNC-07")
    code = chat.ticket().code
    said = report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), where=GRINDING_BAY,
                  equipment="CNC-07")
    shown = said.text("W02")
    assert msg_until(EN, "report.duplicate_found", "why", line="") in shown
    assert msg(EN, "duplicate.why_equipment", equipment="CNC-07") in shown
    assert f"{code} · reported" in shown  # the ticket's card line
    assert "[1] Join this ticket  [2] File anyway" in shown
    assert msg(ZH, "report.submitted", code=code, team="机械维修班") in first.text("W01")

    joined = chat.run("W02", "!press 1")
    assert msg(EN, "report.joined", code=code) in joined.of("W02")
    assert msg(ZH, "reporter.joined", code=code, who="林嘉欣 (W02)") in joined.of("W01")
    assert count(chat) == 1  # no new ticket
    assert not joined.of("TL-MECH") and not joined.of("SO1")  # nobody asked to act twice

    # The joiner hears what the reporter hears from now on, in their own language.
    accepted = chat.run("TL-MECH", "!press 1")
    assert msg(EN, "reporter.accept", code=code, actor="周杰 (TL-MECH)") in accepted.text("W02")
    assert msg(ZH, "reporter.accept", code=code, actor="周杰 (TL-MECH)") in accepted.text("W01")
    judged = chat.run("SO1", "!press 1")  # valid
    assert msg(EN, "reporter.valid", code=code) in judged.text("W02")
    assert balance(chat, "W01") > 0 and balance(chat, "W02") == 0  # joining earns nothing
    assert msg_until(EN, "points.changed", "delta", code="", balance="") not in judged.text("W02")


def test_joining_twice_joins_once_and_the_reporter_hears_of_it_once(chat: Chat) -> None:
    chat.report()
    report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), equipment="CNC-07")
    once = chat.run("W02", "!press 1")
    again = chat.run("W02", "!press 1")  # the same button again: the report is done with
    assert len(once.of("W01")) == 1 and not again.of("W01")
    with chat.app.services.uow() as uow:
        assert uow.duplicates.followers(chat.ticket().code) == ["W02"]
    assert count(chat) == 1


def test_filing_anyway_opens_the_ticket_and_the_judge_sees_the_suggested_match(
    chat: Chat,
) -> None:
    original = chat.report().code
    report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), equipment="CNC-07")
    filed = chat.run("W02", "!press 2")
    new = chat.ticket()
    assert new.code != original and new.suspected_duplicate_of == original
    assert msg(EN, "report.submitted", code=new.code, team="Mechanical maintenance") in \
        filed.of("W02")
    judge = filed.text("SO1")
    assert msg(ZH, "ticket.suspected_duplicate", original=original) in judge
    assert "[1] 有效  [2] 重复  [3] 无效" in judge
    assert chat.records()[1]["suspected_duplicate_of"] == original
    # The officer agrees: the filed report is a duplicate of the suggested ticket.
    chat.run("SO1", f"!button t:duplicate:{new.code}", original)
    assert chat.ticket(new.code).duplicate_of == original


@pytest.mark.parametrize(("rule", "second"), [
    ("nearby", {"where": at(SAME_SPOT_M - 10)}),
    ("equipment", {"where": GRINDING_BAY, "equipment": "CNC-07"}),
])
def test_the_same_category_at_the_same_equipment_or_within_50_m_is_offered(
    chat: Chat, rule: str, second: dict[str, str],
) -> None:
    report(chat, "W01", chat.photo("first.jpg", (200, 40, 40)), equipment="CNC-07")
    code = chat.ticket().code
    said = report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), **second)
    assert offered(said, "W02", EN)
    why = {"nearby": msg(EN, "duplicate.why_nearby", metres="40"),
           "equipment": msg(EN, "duplicate.why_equipment", equipment="CNC-07")}[rule]
    assert why in said.text("W02") and code in said.text("W02")
    assert count(chat) == 1  # nothing filed while the reporter decides


def test_a_perceptually_identical_photo_is_offered_in_another_category_and_area(
    chat: Chat, tmp_path: Path,
) -> None:
    report(chat, "W01", scene_file(tmp_path / "spot.jpg", 7), equipment="CNC-07")
    code = chat.ticket().code
    # The same photo passed on by a chat app: scaled to half and compressed at quality 60.
    resent = scene_file(tmp_path / "resent.jpg", 7, quality=60, scale=0.5)
    said = report(chat, "W02", resent, where="STAMP", category=ELECTRICAL)
    assert msg(EN, "duplicate.why_photo") in said.text("W02") and code in said.text("W02")


@pytest.mark.parametrize("second", [
    {"where": at(SAME_SPOT_M + 1)},  # the same category, 51 m away
    {"where": at(), "category": ELECTRICAL},  # the same spot, another category
    {"where": at(), "equipment": "CNC-07", "category": ELECTRICAL},
])
def test_51_m_away_or_another_category_is_no_match_and_the_ticket_opens_at_once(
    chat: Chat, second: dict[str, object],
) -> None:
    report(chat, "W01", chat.photo("first.jpg", (200, 40, 40)))
    said = report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), **second)  # type: ignore[arg-type]
    assert not offered(said, "W02", EN)
    assert count(chat) == 2 and chat.ticket().suspected_duplicate_of is None


def test_plain_photos_of_different_colours_are_not_the_same_photo(chat: Chat) -> None:
    report(chat, "W01", chat.photo("first.jpg", (200, 40, 40)), where="STAMP")
    said = report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), where="WELD",
                  category=ELECTRICAL)
    assert not offered(said, "W02", EN) and count(chat) == 2


def test_a_reused_photo_earns_no_points_and_the_reporter_is_told_why(
    chat: Chat, tmp_path: Path,
) -> None:
    report(chat, "W01", scene_file(tmp_path / "spot.jpg", 11), where="STAMP")
    earlier = chat.ticket().code
    chat.run("SO1", f"!button t:invalid:{earlier}", "不是隐患")  # closed: nothing to join
    said = report(chat, "W02", scene_file(tmp_path / "again.jpg", 11, quality=60, scale=0.6),
                  where="WELD", category=ELECTRICAL)
    assert not offered(said, "W02", EN)  # a rejected ticket is not offered
    code = chat.ticket().code
    assert chat.ticket().reused_photo_of == earlier
    assert msg(ZH, "ticket.reused_photo", original=earlier) in said.text("SO1")

    judged = chat.run("SO1", f"!button t:valid:{code}")
    assert msg(EN, "report.reused_photo", code=code, original=earlier) in judged.of("W02")
    assert msg_until(EN, "points.changed", "delta", code="", balance="") not in judged.text("W02")
    assert balance(chat, "W02") == 0
    assert chat.records()[1]["points"] == 0 and chat.records()[1]["reused_photo_of"] == earlier


def test_the_reporter_asked_about_their_own_open_ticket_keeps_one(chat: Chat) -> None:
    code = chat.report().code
    said = report(chat, "W01", chat.photo("again.jpg", (10, 10, 10)), equipment="CNC-07")
    assert msg_until(ZH, "report.duplicate_own", "why", line="") in said.text("W01")
    assert "[1] 不用另报  [2] 仍然上报" in said.text("W01")
    kept = chat.run("W01", "!press 1")
    assert msg(ZH, "report.joined_own", code=code) in kept.of("W01")
    assert count(chat) == 1


def test_only_the_offered_ticket_can_be_joined(chat: Chat) -> None:
    other = chat.report(equipment="none", category=ELECTRICAL, colour=(1, 2, 3)).code
    code = chat.report().code
    report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), equipment="CNC-07")
    forged = chat.run("W02", f"join:{other}")  # a value typed (or forged) as if offered
    assert msg(EN, "report.duplicate_expected") in forged.text("W02")
    assert "[1] Join this ticket  [2] File anyway" in forged.text("W02")
    with chat.app.services.uow() as uow:
        assert uow.duplicates.followers(other) == [] == uow.duplicates.followers(code)


def test_a_ticket_closed_while_the_reporter_decides_cannot_be_joined(chat: Chat) -> None:
    code = chat.report().code
    report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), equipment="CNC-07")
    chat.run("SO1", f"!button t:invalid:{code}", "误报")
    refused = chat.run("W02", "!press 1")
    assert msg(EN, "report.join_closed", code=code) in refused.text("W02")
    filed = chat.run("W02", "!press 2")
    assert count(chat) == 2 and chat.ticket().suspected_duplicate_of is None
    assert filed.of("TL-MECH")  # the team has the new ticket


def test_the_question_survives_a_restart_and_is_answered_by_its_number(chat: Chat) -> None:
    code = chat.report().code
    report(chat, "W02", chat.photo("second.jpg", (40, 40, 200)), equipment="CNC-07")
    chat = chat.restart()
    try:
        joined = chat.run("W02", "1")
        assert msg(EN, "report.joined", code=code) in joined.of("W02")
    finally:
        chat.close()


def test_a_photo_sent_again_at_the_question_is_answered_as_already_received(
    chat: Chat,
) -> None:
    chat.report()
    photo = chat.photo("second.jpg", (40, 40, 200))
    report(chat, "W02", photo, equipment="CNC-07")
    again = chat.run("W02", f"!photo {photo}")
    assert msg(EN, "report.photo_already", count=1) in again.text("W02")
    assert count(chat) == 1

"""/checkin and its checklist as an inspector lives them, in-process on the demo plant.

The clock starts at 09:00 on Monday 30 November 2026; `!wait 1m` has the day's rounds
generated. SO1 holds the A and B areas; CP-WELD-1 is the welding shop's one checkpoint
(radius 40 m), and its checklist has 8 control measures and the 7 workshop items.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import ExifTags, Image

from bot.shell import ShellError
from core.dialog import EventKind, Incoming
from core.geo import EARTH_RADIUS_M
from core.inspections import Answer, CheckIn, ChecklistAnswer, Round
from tests.chat import Chat, msg, msg_until

WELD = (31.31910, 120.71990)
MACH = (31.31690, 120.71975)  # CP-MACH-1, in the CNC-07 special plan and the class plan
ITEMS = 15  # WELD: 3 + 2 + 3 control measures, 7 workshop template items
ROUND_DONE = msg("zh-CN", "checklist.round_done")


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path, rounds=True)
    chat.run("SO1", "!wait 1m")  # the day's rounds and the inspectors' lists
    yield chat
    chat.close()


def at(place: tuple[float, float], tail: str = "8") -> str:
    return f"!location {place[0]} {place[1]} {tail}".strip()


def east_of(place: tuple[float, float], metres: float) -> tuple[float, float]:
    scale = EARTH_RADIUS_M * math.cos(math.radians(place[0]))
    return place[0], place[1] + math.degrees(metres / scale)


def rounds_of(chat: Chat, person: str = "SO1") -> list[Round]:
    now = chat.clock.now()
    with chat.app.services.uow() as uow:
        return uow.rounds.for_person(person, now - timedelta(days=1), now + timedelta(days=1))


def checkins(chat: Chat) -> list[CheckIn]:
    with chat.app.services.uow() as uow:
        return [c for r in rounds_of(chat) for c in uow.checkins.for_round(r.id or 0)]


def answers(chat: Chat, checkin: CheckIn) -> list[ChecklistAnswer]:
    with chat.app.services.uow() as uow:
        return uow.checkins.answers(checkin.id or 0)


def test_a_full_round_with_every_item_ok_checks_the_checkpoint_off(chat: Chat) -> None:
    asked = chat.run("SO1", "/checkin")
    assert msg_until("zh-CN", "checkin.ask_location", "checkpoints").splitlines()[0] in asked
    accepted = chat.run("SO1", at(WELD))
    head = msg("zh-CN", "checkin.accepted", checkpoint="CP-WELD-1", area="焊接车间",
               distance="0", accuracy="±8 米", late="", count=ITEMS)
    assert head.splitlines()[0] in accepted.of("SO1")
    assert "[1/15] 焊接烟尘净化装置开启并每周清理滤芯" in accepted.of("SO1")
    done = chat.run("SO1", *["!press 1"] * ITEMS)
    summary = msg("zh-CN", "checklist.done", checkpoint="CP-WELD-1", ok=ITEMS, not_ok=0, na=0,
                  tickets="", left=ROUND_DONE)
    assert done.of("SO1")[-2:] == summary.splitlines()
    made, = checkins(chat)
    assert (made.checkpoint, made.person, made.accuracy_m) == ("CP-WELD-1", "SO1", 8.0)
    assert made.distance_m == pytest.approx(0, abs=0.1) and made.evidence == ""
    kept = answers(chat, made)
    assert [a.answer for a in kept] == [Answer.OK] * ITEMS
    assert kept[0].item == "WELD-R1/M1" and kept[0].risk_point == "WELD-R1"
    assert kept[-1].item == "workshop/chemicals" and kept[-1].risk_point is None
    assert "✅ CP-WELD-1" in chat.run("SO1", "/round").of("SO1")
    assert chat.records() == []  # nothing was wrong: no ticket


def test_a_check_in_300_m_away_is_refused_with_the_distance_and_waits_for_another(
    chat: Chat,
) -> None:
    refused = chat.run("SO1", "/checkin", at(east_of(WELD, 300)))
    assert msg("zh-CN", "checkin.too_far", distance="300", checkpoint="CP-WELD-1",
               area="焊接车间", radius="40") in refused.of("SO1")
    assert checkins(chat) == []
    closer = chat.run("SO1", at(east_of(WELD, 35)))
    assert any(line.startswith("✅ 已在 CP-WELD-1（焊接车间）打卡：距离 35 米")
               for line in closer.of("SO1"))
    made, = checkins(chat)
    assert made.distance_m == pytest.approx(35, abs=0.1)


def test_forwarded_and_stale_locations_are_refused_and_a_live_one_counts(chat: Chat) -> None:
    chat.run("SO1", "/checkin")
    forwarded = chat.run("SO1", at(WELD, "8 forwarded"))
    assert forwarded.of("SO1") == [msg("zh-CN", "checkin.forwarded")]
    stale = chat.run("SO1", at(WELD, "8 old"))
    assert stale.of("SO1") == [msg("zh-CN", "checkin.stale", minutes=60, limit=2)]
    assert checkins(chat) == []
    live = chat.run("SO1", at(WELD, "8 old live"))  # shared an hour ago, and still live
    assert any(line.startswith("✅ 已在 CP-WELD-1") for line in live.of("SO1"))
    assert len(checkins(chat)) == 1


def test_an_imprecise_location_is_refused_with_its_accuracy_and_the_limit(chat: Chat) -> None:
    refused = chat.run("SO1", "/checkin", at(WELD, "80"))
    assert msg("zh-CN", "checkin.inaccurate", accuracy="80", limit="50") in refused.of("SO1")
    unknown = chat.run("SO1", at(WELD, ""))  # the channel gave no accuracy (as WeCom)
    assert any("定位精度 未知" in line for line in unknown.of("SO1"))
    made, = checkins(chat)
    assert made.accuracy_m is None


def gps_photo(path: Path, lat: tuple[int, int, float], lon: tuple[int, int, float]) -> Path:
    """A phone photo with EXIF position and time (as Telegram keeps it for a file)."""
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", lat
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", lon
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    sub[ExifTags.Base.DateTimeOriginal] = "2026:11:30 08:58:00"
    sub[ExifTags.Base.OffsetTimeOriginal] = "+08:00"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 90, 200)).save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_a_photo_alone_does_not_check_in_but_is_kept_as_evidence(chat: Chat) -> None:
    # 31°19'8.76" N 120°43'11.64" E: CP-WELD-1, as a phone's GPS writes it.
    photo = gps_photo(chat.home / "spot.jpg", (31, 19, 8.76), (120, 43, 11.64))
    hint = chat.run("SO1", "/checkin", f"!photo {photo}")
    assert hint.of("SO1")[-1] == msg("zh-CN", "checkin.photo_kept")
    assert checkins(chat) == []
    chat.run("SO1", at(WELD))
    made, = checkins(chat)
    evidence = json.loads(made.evidence)
    assert len(evidence["photo"]) == 64
    assert evidence["exif_gps"] == pytest.approx([31.3191, 120.7199], abs=1e-5)
    assert evidence["exif_distance_m"] < 1
    assert evidence["taken_at"] == datetime(2026, 11, 30, 0, 58, tzinfo=UTC).isoformat()


def test_a_not_ok_item_opens_a_ticket_routed_to_the_right_team(chat: Chat) -> None:
    chat.run("SO1", "/checkin", at(WELD), *["!press 1"] * 6)
    asked = chat.run("SO1", "!press 异常")  # item 7: flashback arrestors (gas cylinders, orange)
    assert asked.of("SO1") == [msg("zh-CN", "checklist.ask_photo",
                                   text="乙炔瓶装回火防止器，每日检查减压阀和软管")]
    photo = chat.photo("arrestor.jpg", (200, 120, 40))
    chat.run("SO1", f"!photo {photo}", "3号乙炔瓶缺回火防止器", "!press DB-WELD-1")
    opened = chat.run("SO1", "!press 消防隐患")
    ticket = chat.ticket()
    assert (ticket.team, ticket.area, ticket.equipment) == ("ELEC", "WELD", "DB-WELD-1")
    assert (ticket.reporter, ticket.category, ticket.severity.value) == ("SO1", "fire", "serious")
    assert ticket.description == msg("zh-CN", "checklist.finding", checkpoint="CP-WELD-1",
                                     item="乙炔瓶装回火防止器，每日检查减压阀和软管",
                                     text="3号乙炔瓶缺回火防止器")
    assert len(ticket.photos) == 1 and ticket.location is not None
    assert any(ticket.code in line for line in opened.of("TL-ELEC"))
    # The next item comes after the ticket's notices, so its buttons are the newest.
    assert opened.of("SO1")[-1] == "[1] 正常  [2] 异常  [3] 不适用"
    done = chat.run("SO1", *["!press 1"] * 8)
    assert done.of("SO1")[-2] == msg(
        "zh-CN", "checklist.done", checkpoint="CP-WELD-1", ok=14, not_ok=1, na=0,
        tickets=msg("zh-CN", "checklist.tickets", codes=ticket.code), left=ROUND_DONE,
    ).splitlines()[0]
    made, = checkins(chat)
    failed = [a for a in answers(chat, made) if a.answer is Answer.NOT_OK]
    assert failed == [ChecklistAnswer(made.id or 0, "WELD-R3/M2", Answer.NOT_OK,
                                      risk_point="WELD-R3", ticket=ticket.code,
                                      note="3号乙炔瓶缺回火防止器")]


def test_answers_can_be_typed_by_label_word_or_number_and_nonsense_is_asked_again(
    chat: Chat,
) -> None:
    chat.run("SO1", "/checkin", at(WELD))
    unclear = chat.run("SO1", "maybe")
    assert unclear.of("SO1") == [msg("zh-CN", "checklist.answer_expected"),
                                 "[1] 正常  [2] 异常  [3] 不适用"]
    chat.run("SO1", "正常", "ok", "3", "N/A", "不适用", *["1"] * (ITEMS - 5))
    made, = checkins(chat)
    kinds = [a.answer for a in answers(chat, made)]
    assert kinds[:5] == [Answer.OK, Answer.OK, Answer.NOT_APPLICABLE, Answer.NOT_APPLICABLE,
                         Answer.NOT_APPLICABLE]
    assert len(kinds) == ITEMS


def test_a_restart_in_the_middle_of_the_checklist_loses_nothing(chat: Chat) -> None:
    chat.run("SO1", "/checkin", at(WELD), *["!press 1"] * 5)
    made, = checkins(chat)
    assert answers(chat, made) == []  # kept in the conversation until the last item
    again = chat.restart()
    try:
        done = again.run("SO1", *["1"] * (ITEMS - 5))
        finished = "✅ CP-WELD-1 检查表已完成：正常 15 项"
        assert any(line.startswith(finished) for line in done.of("SO1"))
        assert len(answers(again, made)) == ITEMS
    finally:
        again.close()


def test_checkin_again_in_the_middle_of_the_checklist_asks_the_same_item_again(
    chat: Chat,
) -> None:
    chat.run("SO1", "/checkin", at(WELD), *["!press 1"] * 3)
    again = chat.run("SO1", "/checkin")
    assert again.of("SO1")[0] == "[4/15] 焊接工位设置遮光屏"
    chat.run("SO1", *["!press 1"] * (ITEMS - 3))
    made, = checkins(chat)
    assert len(answers(chat, made)) == ITEMS


def test_a_checkpoint_in_two_rounds_serves_the_one_closing_first(chat: Chat) -> None:
    done = chat.run("SO1", "/checkin", at(MACH), *["!press 1"] * 15)
    assert done.of("SO1")[-1] == ROUND_DONE  # the special round has that one checkpoint
    made, = checkins(chat)
    special = next(r for r in rounds_of(chat) if r.id == made.round_id)
    assert (special.plan, special.area) == ("cnc07", "MACH")  # closes at 12:00, before 17:00
    left = chat.run("SO1", "/checkin")  # the class round still has both MACH checkpoints
    assert "CP-MACH-1" in left.text("SO1") and "CP-MACH-2" in left.text("SO1")


def test_someone_without_a_round_gets_a_polite_answer_and_no_conversation(chat: Chat) -> None:
    said = chat.run("W01", "/checkin")
    assert said.of("W01") == [msg("zh-CN", "checkin.no_round")]
    after = chat.run("W01", at(WELD))
    assert after.of("W01") == [msg("zh-CN", "hint.idle")]


def test_before_the_window_opens_the_inspector_hears_when_it_does(tmp_path: Path) -> None:
    early = Chat(tmp_path, rounds=True, start=datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # 07:00
    try:
        said = early.run("SO1", "!wait 1m", "/checkin")
        assert said.of("SO1")[-1] == msg("zh-CN", "checkin.not_yet", title="冲压车间",
                                         opens="08:00")
    finally:
        early.close()


def test_a_check_in_after_the_window_closed_is_taken_as_late(chat: Chat) -> None:
    chat.run("SO1", "!wait 9h")  # 18:00: the rounds closed, the safety manager was told
    late = chat.run("SO1", "/checkin", at(WELD))
    note = msg("zh-CN", "checkin.late", closes="17:00")
    assert any(note in line for line in late.of("SO1"))
    assert len(checkins(chat)) == 1


def test_checkin_in_a_group_points_to_the_private_chat(chat: Chat) -> None:
    event = Incoming("terminal", "group-1", "SO1", EventKind.COMMAND, text="/checkin",
                     command="checkin", is_group=True)
    chat._loop.run_until_complete(chat.app.inlet.handle(event))
    assert msg("zh-CN", "checkin.use_dm") in chat.deliver().lines[0]
    assert checkins(chat) == []


@pytest.mark.parametrize("line", [
    "!location 31.3191 120.7199 8 bogus", "!location 31.3191 120.7199 old old",
    "!location 31.3191 old", "!location 31.3191 120.7199 8 9",
])
def test_the_shell_refuses_a_location_line_it_cannot_read(chat: Chat, line: str) -> None:
    with pytest.raises(ShellError, match="usage: !location"):
        chat.run("SO1", line)


def test_a_replayed_answer_button_is_stale_and_changes_nothing(chat: Chat) -> None:
    chat.run("SO1", "/checkin", at(WELD))
    _, shown = chat.terminal.last_buttons["SO1"]
    not_ok = shown[1].data  # item 1's 异常, pressed after item 1 was answered OK
    chat.run("SO1", "!press 1")
    replayed = chat.run("SO1", f"!button {not_ok}")
    assert msg("zh-CN", "button.stale") in replayed.of("SO1")
    chat.run("SO1", *["!press 1"] * (ITEMS - 1))
    made, = checkins(chat)
    assert [a.answer for a in answers(chat, made)] == [Answer.OK] * ITEMS
    assert chat.records() == []

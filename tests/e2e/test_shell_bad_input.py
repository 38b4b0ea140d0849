"""Bad input gets a clear reply in the person's language and changes nothing.

In-process (`tests.chat`): the same shell lines against the real handlers and SQLite.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chat import Chat, msg, msg_until

ZH, EN = "zh-CN", "en"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def bomb_png(path: Path, width: int = 50_000, height: int = 50_000) -> Path:
    """A tiny file whose header claims a picture far too large to decode."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def test_each_wrong_answer_during_a_report_is_explained_and_the_report_goes_on(
    chat: Chat,
) -> None:
    notes = chat.home / "notes.txt"
    notes.write_text("not a photo")
    huge = chat.home / "huge.jpg"
    with huge.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    bomb = bomb_png(chat.home / "bomb.png")
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    out = chat.run(
        "W01",
        "/report",
        "hi",                          # text where a photo is expected
        f"!photo {notes}",             # not an image
        f"!photo {huge}",              # 200 MB
        f"!photo {bomb}",              # decompression bomb
        "!button d:99:next",           # forged dialog button
        f"!photo {photo}",
        "!press 1",
        "!location 31.7500 120.7190",  # about 48 km north of the plant
        "!location 31.3172 120.7208",
        "XYZ-99",                      # unknown equipment
        "PRESS-03",                    # equipment of another area
        "CNC-07",
        "ok",                          # too short a description
        "防护栏松动",
        "!press 2",
        "!press 1",
        "!press 3",                    # cancel
    )
    said = out.of("W01")
    for reply in (
        msg(ZH, "report.photo_needed"),
        msg(ZH, "photo.not_an_image"),
        msg(ZH, "photo.too_large", limit=20),
        msg(ZH, "photo.too_many_pixels"),
        msg(ZH, "button.stale"),
        msg(ZH, "report.location_off_site", km="48.0"),
        msg(ZH, "report.description_invalid"),
        msg(ZH, "report.cancelled"),
    ):
        assert reply in said, reply
    unknown = msg_until(ZH, "report.equipment_unknown", "options", code="XYZ-99")
    elsewhere = msg_until(ZH, "report.equipment_elsewhere", "options", code="PRESS-03",
                          elsewhere="冲压车间")
    assert any(line.startswith(unknown) for line in said)
    assert any(line.startswith(elsewhere) for line in said)
    assert msg(ZH, "error.internal") not in out
    assert chat.records() == []


def test_buttons_pressed_twice_or_by_the_wrong_person_change_nothing(chat: Chat) -> None:
    code = chat.report().code
    twice = chat.run("TL-MECH", f"!button t:accept:{code}", f"!button t:accept:{code}")
    assert msg(ZH, "refused.wrong_state", code=code) in twice.of("TL-MECH")
    accepted = msg_until(ZH, "reporter.accept", "actor", code=code)
    assert sum(line.startswith(accepted) for line in twice.of("W01")) == 1
    [before] = chat.records()
    assert before["status"] == "acknowledged"

    forged = chat.run(
        "W02",
        f"!button t:start:{code}",      # a worker forging the lead's button
        f"!button t:valid:{code}",      # a worker forging the safety officer's button
        "!button t:explode:HZ-1",        # an action that does not exist
        "!button t:accept:HZ-000000-9999",
        f"/status {code}",               # not theirs to see
        "!as TL-ELEC",
        f"!button t:start:{code}",      # the lead of another team
    )
    worker = forged.of("W02")
    assert worker.count(msg(EN, "refused.not_allowed", code=code)) == 2
    assert msg(EN, "button.stale") in worker
    assert msg(EN, "refused.unknown_ticket", code="HZ-000000-9999") in worker
    assert msg(EN, "refused.not_yours", code=code) in worker
    assert msg(ZH, "refused.not_allowed", code=code) in forged.of("TL-ELEC")
    assert chat.records() == [before]


def test_unknown_commands_and_missing_arguments_get_a_hint(chat: Chat) -> None:
    said = chat.run("W01", "/frobnicate", "/cancel", "/status").of("W01")
    assert msg(ZH, "command.unknown", command="frobnicate") in said
    assert msg(ZH, "cancel.nothing") in said
    assert msg(ZH, "status.usage") in said

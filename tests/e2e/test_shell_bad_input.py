"""Bad input gets a clear reply in the person's language and changes nothing."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from tests.e2e.shell import Plant, lines_for
from tests.e2e.test_shell_loop import report_script


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
    plant: Plant,
) -> None:
    notes = plant.home / "notes.txt"
    notes.write_text("not a photo")
    huge = plant.home / "huge.jpg"
    with huge.open("wb") as f:
        f.truncate(200 * 1024 * 1024)
    bomb = bomb_png(plant.home / "bomb.png")
    photo = plant.photo("hazard.jpg", (200, 40, 40))
    script = "\n".join([
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
    ]) + "\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr
    said = lines_for(done.stdout, "W01")
    for reply in (
        "请先发送至少一张隐患照片。",
        "这不是图片文件，请发送照片。",
        "照片太大了（上限 20 MB），请压缩后重发。",
        "照片像素过多，请用普通相机模式重新拍摄。",
        "这个按钮已过期，请使用最新消息中的按钮。",
        "该位置距离厂区约 48.0 公里，不在厂区内。请在现场发送位置，或选择区域。",
        "描述请写 4 到 1000 个字。",
        "已取消本次上报。",
    ):
        assert reply in said, reply
    assert any(line.startswith("没有编号为 XYZ-99 的设备") for line in said)
    assert any(line.startswith("PRESS-03 在冲压车间，不在所选区域") for line in said)
    assert "抱歉，处理时出了点问题" not in done.stdout
    assert plant.tickets() == []


def test_buttons_pressed_twice_or_by_the_wrong_person_change_nothing(plant: Plant) -> None:
    made = plant.shell("W01", report_script(plant))
    assert made.returncode == 0, made.stderr
    [fresh] = plant.tickets()
    code = fresh["code"]
    twice = plant.shell("TL-MECH", f"!button t:accept:{code}\n!button t:accept:{code}\n")
    assert twice.returncode == 0, twice.stderr
    assert f"{code} 当前状态不允许此操作（可能已被处理）。" in lines_for(twice.stdout, "TL-MECH")
    assert sum("接收" in line for line in lines_for(twice.stdout, "W01")) == 1
    [before] = plant.tickets()
    assert before["status"] == "acknowledged"

    forged = plant.shell("W02", "\n".join([
        f"!button t:start:{code}",      # a worker forging the lead's button
        f"!button t:valid:{code}",      # a worker forging the safety officer's button
        "!button t:explode:HZ-1",        # an action that does not exist
        "!button t:accept:HZ-000000-9999",
        f"/status {code}",               # not theirs to see
        "!as TL-ELEC",
        f"!button t:start:{code}",      # the lead of another team
    ]) + "\n")
    assert forged.returncode == 0, forged.stderr
    worker = lines_for(forged.stdout, "W02")
    assert worker.count(f"Sorry, you may not do that to {code}.") == 2
    assert "That button is out of date; please use the buttons of the latest message." in worker
    assert "There is no ticket HZ-000000-9999." in worker
    assert f"Sorry, you may not view {code}." in worker
    assert f"抱歉，您没有权限对 {code} 执行此操作。" in lines_for(forged.stdout, "TL-ELEC")
    assert plant.tickets() == [before]


def test_unknown_commands_and_missing_arguments_get_a_hint(plant: Plant) -> None:
    done = plant.shell("W01", "/frobnicate\n/cancel\n/status\n")
    assert done.returncode == 0
    said = lines_for(done.stdout, "W01")
    assert "不认识的命令 /frobnicate。发送 /help 查看帮助。" in said
    assert "当前没有进行中的操作。" in said
    assert "用法：/status HZ-261128-0001" in said

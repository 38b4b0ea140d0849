"""The whole hazard loop through the shell's line language.

Most tests run in-process (`tests.chat`); the few that name `safetyloop` run the real
command line in a new process: the whole loop once, a conversation and a question taken
up by a new process, the exit status of a script, and the audit check an auditor runs.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from tests.chat import Chat, Said, msg, msg_until
from tests.e2e.shell import Plant, lines_for

ZH, EN = "zh-CN", "en"
# A point by checkpoint CP-MACH-1 (机加工车间), where CNC-07 stands.
ON_SITE = "!location 31.3172 120.7208 12"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def report_script(plant: Plant, *, urgency: int = 2) -> str:
    photo = plant.photo("hazard.jpg", (200, 40, 40))
    return "\n".join([
        "/report",
        f"!photo {photo}",
        "!press 1",            # photos done
        ON_SITE,
        "CNC-07",
        "主轴防护罩破损，铁屑飞溅",
        "!press 2",            # category: mechanical
        f"!press {urgency}",   # 1 general, 2 serious
        "!press 1",            # submit
    ]) + "\n"


def escalation_levels(said: Said, person: str) -> list[int]:
    """The levels of the escalation notices `person` received, in order."""
    return [level for line in said.of(person) for level in range(1, 10)
            if line == msg(ZH, "ticket.escalated", level=level, card="").splitlines()[0]]


def test_a_report_travels_the_whole_loop_and_earns_points(plant: Plant) -> None:
    """End to end: `safetyloop shell` in its own process."""
    after = plant.photo("fixed.jpg", (40, 200, 40))
    script = report_script(plant) + "\n".join([
        "!as SO1",
        "!press 1",            # valid
        "!as TL-MECH",
        "!press 1",            # accept
        "!press 1",            # start
        "!press 1",            # done: asks for the after photo
        f"!photo {after}",
        "!as SO1",
        "!press 1",            # verify and close
        "!as W01",
        "/points",
        "/rank",
        "/my",
    ]) + "\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr
    out = done.stdout

    assert any("HZ-" in line and "机械维修班" in line for line in lines_for(out, "W01"))
    assert any(line.startswith("🆕") for line in lines_for(out, "TL-MECH"))
    assert not lines_for(out, "TL-ELEC"), "routed to the wrong team"
    reporter = lines_for(out, "W01")
    text = "\n".join(reporter)
    for step in ("经安全员核实为有效", "已被 周杰 (TL-MECH) 接收", "正在处理", "已整改完成",
                 "已验收关闭"):
        assert step in text, step
    # 10 for a serious report, 2 for naming the equipment and sending a location
    assert any("+12" in line for line in reporter)
    assert "⭐ 您当前有 12 积分。最近的记录：" in reporter
    assert any(line.startswith("1. 马晓东 (W01) — 12") for line in reporter)
    assert sum("🖼" in line for line in reporter) == 3, (
        "summary photo, before/after picture and the ranking chart")

    [ticket] = plant.tickets()
    assert ticket["status"] == "closed" and ticket["validity"] == "valid" and ticket["points"] == 12
    assert ticket["assignee_team"] == "MECH"
    assert ticket["area"] == "MACH" and ticket["equipment"] == "CNC-07"
    assert ticket["after_photo"] and ticket["after_photo"] != ticket["photos"][0]
    assert ticket["location"]["source"] == "message"
    for field in ("created_at", "acknowledged_at", "resolved_at", "closed_at"):
        assert datetime.fromisoformat(ticket[field]).utcoffset() is not None
    assert ticket["created_at"].endswith("+08:00")


def test_an_unanswered_ticket_climbs_the_ladder_one_level_at_a_time(chat: Chat) -> None:
    chat.report(urgency=1)
    said = chat.run("W01", "!wait 25h", "!wait 5h", "!wait 72h")

    assert escalation_levels(said, "DH-EQUIP") == [1]
    assert escalation_levels(said, "SM") == [2]
    assert escalation_levels(said, "TL-MECH") == [] and escalation_levels(said, "DH-PROD") == []
    [ticket] = chat.records()
    assert ticket["escalation_level"] == 2


def test_escalation_stops_once_the_team_accepts(chat: Chat) -> None:
    chat.report(urgency=1)
    said = chat.run("TL-MECH", "!press 1", "!wait 25h")
    assert msg_until(ZH, "ticket.escalated", "level", card="") not in said
    assert chat.records()[0]["escalation_level"] == 0


def test_a_conversation_survives_a_restart_of_the_bot(plant: Plant) -> None:
    """End to end: a report begun before a restart is finished in a new process."""
    photo = plant.photo("hazard.jpg", (200, 40, 40))
    with closing(plant.chat()) as before:
        before.run("W02", "/report", f"!photo {photo}")
    # A new process: the half-told report is still there, in W02's language (English).
    second = plant.shell("W02", "/lang en\ndone\n!press 4\nnone\nWet floor near the exit\n"
                                "!press 5\n!press 1\n!press 1\n")
    assert second.returncode == 0, second.stderr
    lines = lines_for(second.stdout, "W02")
    assert any(line.startswith("✅ Hazard reported as HZ-") for line in lines)
    [ticket] = plant.tickets()
    assert ticket["area"] == "MACH" and ticket["equipment"] is None
    assert ticket["location"] is None


def test_the_audit_log_verifies_and_names_the_first_tampered_entry(plant: Plant) -> None:
    """End to end: `safetyloop audit verify` in its own process, as an auditor runs it."""
    with closing(plant.chat()) as chat:
        chat.report()
    ok = plant.cli("audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout

    with closing(sqlite3.connect(plant.home / "db.sqlite")) as db, db:
        db.execute("UPDATE audit_log SET actor = 'W02' WHERE seq = 1")
    broken = plant.cli("audit", "verify")
    assert broken.returncode == 1
    assert "entry 1" in broken.stderr


def shell(chat: Chat, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          person: str, script: str, *clock: str) -> tuple[int, str]:
    """`safetyloop shell --as PERSON` fed `script`, in this process: its exit status, stderr."""
    monkeypatch.setattr("sys.stdin", io.StringIO(script))
    capsys.readouterr()
    code = main(["shell", "--as", person, *clock, "--database", chat.settings.database_url,
                 "--config", str(chat.settings.plant_file)])
    return code, capsys.readouterr().err


def test_a_script_line_the_shell_cannot_understand_fails_the_run(
    chat: Chat, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, err = shell(chat, capsys, monkeypatch, "W01", "/help\n!fly away\n", "--clock", "sim")
    assert code != 0
    assert "line 2" in err
    assert shell(chat, capsys, monkeypatch, "W01", "!wait 1h\n")[0] != 0
    assert shell(chat, capsys, monkeypatch, "NOBODY", "/help\n", "--clock", "sim")[0] != 0


def test_a_lead_reassigns_a_report_and_the_new_team_takes_it(chat: Chat) -> None:
    code = chat.report().code
    said = chat.run(
        "TL-MECH",
        "!press 3",            # reassign
        "!press 1",            # 电气维修班 (ELEC)
        "!as TL-ELEC",
        "!press 1",            # accept
    )
    assigned = msg_until(ZH, "ticket.assigned", "card").splitlines()[0]
    assert assigned in said.of("TL-ELEC")
    assert msg(ZH, "reporter.reassign", code=code, team="电气维修班") in said.of("W01")
    [ticket] = chat.records()
    assert (ticket["assignee_team"], ticket["status"]) == ("ELEC", "acknowledged")


def test_a_duplicate_report_is_rejected_and_its_points_taken_back(chat: Chat) -> None:
    original = chat.report().code
    chat.run("SO1", "!press 1")
    # another photo and machine: nothing marks it a duplicate before the officer does
    code = chat.report("W02", equipment="CNC-12", colour=(30, 60, 200)).code
    valid = chat.run("SO1", "!press 1")  # valid: +12 (with the equipment and location bonus)
    judged = chat.run(
        "SO1",
        f"!button t:duplicate:{code}",
        original.lower(),                # people type codes as they like
        "!as W02",
        "/points",
    )
    said = valid.of("W02") + judged.of("W02")
    assert msg(EN, "points.changed", delta="+12", code=code, balance=12) in said
    assert msg(EN, "points.changed", delta="-12", code=code, balance=0) in said
    assert "⭐ You have 0 points. Latest entries:" in said
    assert msg(EN, "reporter.duplicate", code=code, original=original) in said
    duplicate = chat.records()[1]
    assert (duplicate["status"], duplicate["validity"], duplicate["points"]) == (
        "rejected", "duplicate", 0)
    assert duplicate["duplicate_of"] == original


def test_a_reassign_left_half_done_resumes_after_a_restart_with_its_buttons(plant: Plant) -> None:
    """End to end: a question asked before a restart is answered in a new process."""
    with closing(plant.chat()) as before:
        before.report()
        before.run("TL-MECH", "!press 转派")
    # A new process: the terminal has forgotten the buttons; the question has not.
    second = plant.shell("TL-MECH", "焊接班\n!press 1\n")
    assert second.returncode == 0, second.stderr
    lead = lines_for(second.stdout, "TL-MECH")
    assert "请点击下面的班组按钮，或输入班组名称。" in lead
    assert "[1] 电气维修班" in lead
    [ticket] = plant.tickets()
    assert ticket["assignee_team"] == "ELEC"

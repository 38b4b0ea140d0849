"""The whole hazard loop, scripted through `safetyloop shell` exactly as the README shows it."""

from __future__ import annotations

from datetime import datetime

from tests.e2e.shell import Plant, lines_for

# A point by checkpoint CP-MACH-1 (机加工车间), where CNC-07 stands.
ON_SITE = "!location 31.3172 120.7208 12"


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


def test_a_report_travels_the_whole_loop_and_earns_points(plant: Plant) -> None:
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
    assert any("+10" in line for line in reporter)
    assert "⭐ 您当前有 10 积分。" in reporter
    assert any(line.startswith("1. 马晓东 (W01) — 10") for line in reporter)
    assert sum("🖼" in line for line in reporter) == 2, "summary photo and before/after picture"

    [ticket] = plant.tickets()
    assert ticket["status"] == "closed" and ticket["validity"] == "valid" and ticket["points"] == 10
    assert ticket["assignee_team"] == "MECH"
    assert ticket["area"] == "MACH" and ticket["equipment"] == "CNC-07"
    assert ticket["after_photo"] and ticket["after_photo"] != ticket["photos"][0]
    assert ticket["location"]["source"] == "message"
    for field in ("created_at", "acknowledged_at", "resolved_at", "closed_at"):
        assert datetime.fromisoformat(ticket[field]).utcoffset() is not None
    assert ticket["created_at"].endswith("+08:00")


def test_an_unanswered_ticket_climbs_the_ladder_one_level_at_a_time(plant: Plant) -> None:
    script = report_script(plant, urgency=1) + "!wait 25h\n!wait 5h\n!wait 72h\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr

    escalations = {
        person: [line for line in lines_for(done.stdout, person) if "超时升级" in line]
        for person in ("TL-MECH", "DH-EQUIP", "SM", "DH-PROD")
    }
    assert len(escalations["DH-EQUIP"]) == 1 and "第 1 级" in escalations["DH-EQUIP"][0]
    assert len(escalations["SM"]) == 1 and "第 2 级" in escalations["SM"][0]
    assert escalations["TL-MECH"] == [] and escalations["DH-PROD"] == []
    [ticket] = plant.tickets()
    assert ticket["escalation_level"] == 2


def test_escalation_stops_once_the_team_accepts(plant: Plant) -> None:
    script = report_script(plant, urgency=1) + "!as TL-MECH\n!press 1\n!wait 25h\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stdout.splitlines() if "超时升级" in line]


def test_a_conversation_survives_a_restart_of_the_bot(plant: Plant) -> None:
    photo = plant.photo("hazard.jpg", (200, 40, 40))
    first = plant.shell("W02", f"/report\n!photo {photo}\n")
    assert first.returncode == 0, first.stderr
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
    done = plant.shell("W01", report_script(plant))
    assert done.returncode == 0, done.stderr
    ok = plant.cli("audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout

    import sqlite3

    with sqlite3.connect(plant.home / "db.sqlite") as db:
        db.execute("UPDATE audit_log SET actor = 'W02' WHERE seq = 1")
    broken = plant.cli("audit", "verify")
    assert broken.returncode == 1
    assert "entry 1" in broken.stderr


def test_a_script_line_the_shell_cannot_understand_fails_the_run(plant: Plant) -> None:
    done = plant.shell("W01", "/help\n!fly away\n")
    assert done.returncode != 0
    assert "line 2" in done.stderr
    assert plant.shell("W01", "!wait 1h\n", sim=False).returncode != 0
    assert plant.shell("NOBODY", "/help\n").returncode != 0


def test_a_lead_reassigns_a_report_and_the_new_team_takes_it(plant: Plant) -> None:
    script = report_script(plant) + "\n".join([
        "!as TL-MECH",
        "!press 3",            # reassign
        "!press 1",            # 电气维修班 (ELEC)
        "!as TL-ELEC",
        "!press 1",            # accept
    ]) + "\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr
    assert any(line.startswith("🆕") for line in lines_for(done.stdout, "TL-ELEC"))
    assert any("已转派给 电气维修班" in line for line in lines_for(done.stdout, "W01"))
    [ticket] = plant.tickets()
    assert (ticket["assignee_team"], ticket["status"]) == ("ELEC", "acknowledged")


def test_a_duplicate_report_is_rejected_and_its_points_taken_back(plant: Plant) -> None:
    first = plant.shell("W01", report_script(plant) + "!as SO1\n!press 1\n")
    assert first.returncode == 0, first.stderr
    [original] = plant.tickets()
    second = plant.shell("W02", report_script(plant) + "!as SO1\n!press 1\n")  # valid: +10
    assert second.returncode == 0, second.stderr
    code = plant.tickets()[1]["code"]
    judged = plant.shell("SO1", "\n".join([
        f"!button t:duplicate:{code}",
        original["code"].lower(),          # people type codes as they like
        "!as W02",
        "/points",
    ]) + "\n")
    assert judged.returncode == 0, judged.stderr
    said = lines_for(second.stdout + judged.stdout, "W02")
    assert any("+10" in line for line in said) and any("-10" in line for line in said)
    assert "⭐ You have 0 points." in said
    assert any(f"duplicates {original['code']}" in line for line in said)
    duplicate = plant.tickets()[1]
    assert (duplicate["status"], duplicate["validity"], duplicate["points"]) == (
        "rejected", "duplicate", 0)
    assert duplicate["duplicate_of"] == original["code"]


def test_a_reassign_left_half_done_resumes_after_a_restart_with_its_buttons(plant: Plant) -> None:
    first = plant.shell("W01", report_script(plant) + "!as TL-MECH\n!press 转派\n")
    assert first.returncode == 0, first.stderr
    # A new process: the terminal has forgotten the buttons; the question has not.
    second = plant.shell("TL-MECH", "焊接班\n!press 1\n")
    assert second.returncode == 0, second.stderr
    lead = lines_for(second.stdout, "TL-MECH")
    assert "请点击下面的班组按钮，或输入班组名称。" in lead
    assert "[1] 电气维修班" in lead
    [ticket] = plant.tickets()
    assert ticket["assignee_team"] == "ELEC"

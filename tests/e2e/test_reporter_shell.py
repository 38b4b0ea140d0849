"""End to end through `safetyloop shell` in its own process: the reporter says a fix did not
hold, with a photo, and the ticket goes back to the team; `/my` and `/rank` then say so."""

from __future__ import annotations

from tests.chat import msg
from tests.e2e.shell import Plant, lines_for
from tests.e2e.test_shell_loop import report_script

ZH = "zh-CN"


def test_the_reporter_reopens_a_fix_that_did_not_hold(plant: Plant) -> None:
    after = plant.photo("fixed.jpg", (40, 200, 40))
    still = plant.photo("still.jpg", (120, 120, 20))
    script = report_script(plant) + "\n".join([
        "!as SO1",
        "!press 1",            # valid
        "!as TL-MECH",
        "!press 1",            # accept
        "!press 1",            # start
        "!press 1",            # done: asks for the after photo
        f"!photo {after}",
        "!as W01",
        "!press 未解决",        # on the before/after picture
        f"!photo {still}",     # why: a photo of what is still wrong
        "/my",
        "/rank",
    ]) + "\n"
    done = plant.shell("W01", script)
    assert done.returncode == 0, done.stderr
    reporter = lines_for(done.stdout, "W01")
    [ticket] = plant.tickets()
    code = ticket["code"]
    assert "[1] 已解决  [2] 未解决" in reporter
    assert msg(ZH, "followup.not_fixed", code=code) in reporter
    assert any(line.startswith(f"{code} · {msg(ZH, 'stage.working')}") for line in reporter)
    assert any(line.startswith("1. 马晓东 (W01) — ") and line.endswith("👈") for line in reporter)
    lead = "\n".join(lines_for(done.stdout, "TL-MECH"))
    assert f"上报人 马晓东 (W01) 反馈未解决，已重新打开：{msg(ZH, 'not_fixed.see_photo')}" in lead
    assert any(code in line and "未解决" in line for line in lines_for(done.stdout, "SO1"))
    assert ticket["status"] == "in_progress" and len(ticket["photos"]) == 2

"""End to end in `safetyloop shell`'s own process: a second report of the same hazard is
offered the open ticket, joins it, and its reporter hears the ticket's next step."""

from __future__ import annotations

from tests.chat import msg
from tests.e2e.shell import Plant, lines_for

ZH, EN = "zh-CN", "en"
ON_SITE = "!location 31.3172 120.7208 12"  # by CP-MACH-1, where CNC-07 stands


def report(photo: str) -> list[str]:
    return ["/report", f"!photo {photo}", "!press 1", ON_SITE, "CNC-07",
            "主轴防护罩破损，铁屑飞溅", "!press 2", "!press 2", "!press 1"]


def test_a_duplicate_is_offered_and_joined_in_the_real_shell(plant: Plant) -> None:
    first = plant.photo("first.jpg", (200, 40, 40))
    second = plant.photo("second.jpg", (40, 40, 200))
    script = [
        *report(str(first)),
        "!as W02", *report(str(second)),
        "!press 1",            # 加入此工单 / Join this ticket
        "!as TL-MECH", "!press 1",  # the team accepts the ticket
    ]
    done = plant.shell("W01", "\n".join(script) + "\n")
    assert done.returncode == 0, done.stderr

    [ticket] = plant.tickets()  # joining opened nothing
    code = ticket["code"]
    joiner = "\n".join(lines_for(done.stdout, "W02"))
    assert "[1] Join this ticket  [2] File anyway" in joiner
    assert msg(EN, "report.joined", code=code) in joiner
    assert msg(EN, "reporter.accept", code=code, actor="周杰 (TL-MECH)") in joiner
    reporter = lines_for(done.stdout, "W01")
    assert msg(ZH, "reporter.joined", code=code, who="林嘉欣 (W02)") in reporter
    assert ticket["suspected_duplicate_of"] is None and ticket["status"] == "acknowledged"

"""The end-to-end proof through `safetyloop shell --clock sim` in its own process: the 75 %
reminder, the escalation at 100 % and a general reminder held by the quiet hours to 07:00.

`--clock sim` starts at the real time, so the script first waits until just before 09:00
in the plant (Asia/Shanghai); the sections between marker lines (`/points` as W05) show
what each wait brought.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.tickets import Ticket
from storage.database import make_engine
from storage.uow import SqlUnitOfWork
from tests.chat import msg, msg_until
from tests.e2e.shell import Plant, lines_for
from tests.e2e.test_shell_loop import report_script

ZH = "zh-CN"
PLANT_ZONE = ZoneInfo("Asia/Shanghai")
# W05 asks for their points between waits: a line that marks where a wait's output starts.
MARK = "!as W05\n/points\n!as W01\n"


def wait_until_before_nine(now: datetime) -> str:
    """A `!wait` that brings a clock starting at `now` to 08:58 plant time (the next one at
    least ten minutes away): the reports come at about 08:58 whatever the hour of the run."""
    local = now.astimezone(PLANT_ZONE)
    target = datetime.combine(local.date(), time(8, 58), PLANT_ZONE)
    while target - local < timedelta(minutes=10):
        target = datetime.combine(target.date() + timedelta(days=1), time(8, 58), PLANT_ZONE)
    return f"!wait {int((target - local).total_seconds())}s"


def another_report(plant: Plant) -> str:
    """A serious housekeeping hazard at CNC-07 with its own photo: no duplicate of the first."""
    first = report_script(plant, urgency=2)
    photo = plant.photo("mess.jpg", (20, 20, 200))
    lines = [f"!photo {photo}" if line.startswith("!photo ") else line
             for line in first.splitlines()]
    category = lines.index("!press 2")  # the category: mechanical → housekeeping
    lines[category] = "!press 5"
    return "\n".join(lines) + "\n"


def sections(output: str) -> list[list[str]]:
    """The output between marker lines (one line each): what each wait of the script brought."""
    parts: list[list[str]] = [[]]
    for line in output.splitlines():
        if line.startswith("[W05] "):
            parts.append([])
        else:
            parts[-1].append(line)
    return parts


def reminders(lines: list[str], person: str, code: str) -> int:
    head = msg_until(ZH, "ticket.reminder", "due", code=code, card="")
    return sum(line.startswith(head) for line in lines_for("\n".join(lines), person))


def escalations(lines: list[str], person: str, level: int) -> int:
    head = msg(ZH, "ticket.escalated", level=level, card="").splitlines()[0]
    return lines_for("\n".join(lines), person).count(head)


def stored(plant: Plant) -> list[Ticket]:
    engine = make_engine(plant.env["SAFETYLOOP_DATABASE_URL"])
    try:
        with SqlUnitOfWork(engine) as uow:
            return list(uow.tickets.all())
    finally:
        engine.dispose()


def reminded_at(plant: Plant, code: str) -> list[datetime]:
    engine = make_engine(plant.env["SAFETYLOOP_DATABASE_URL"])
    try:
        with SqlUnitOfWork(engine) as uow:
            return [e.at for e in uow.audit.find(subject=code) if e.action == "TicketReminded"]
    finally:
        engine.dispose()


def test_the_shell_shows_the_reminder_the_escalation_and_a_reminder_held_until_seven(
    plant: Plant,
) -> None:
    mark = MARK
    script = (
        wait_until_before_nine(datetime.now(UTC)) + "\n"
        + report_script(plant, urgency=1)           # general: reminded at 02:58, held to 07:00
        + another_report(plant)                     # serious: reminded at 11:58, never held
        + mark + "!wait 2h59m\n"                    # 11:57
        + mark + "!wait 2m\n"                       # 11:59: the 75 % reminder
        + mark + "!wait 1h\n"                       # 12:59: the escalation at 100 %
        + mark + "!wait 14h\n"                      # 02:59: the general reminder is held
        + mark + "!wait 4h\n"                       # 06:59: still held
        + mark + "!wait 2m\n"                       # 07:01: sent at 07:00
        + mark + "!wait 2h\n"                       # 09:01: the general ticket escalates
        + mark
    )
    result = plant.shell("W01", script)
    assert result.returncode == 0, result.stderr
    general, serious = sorted(stored(plant), key=lambda t: t.id or 0)
    assert general.severity == "general" and serious.severity == "serious"

    _, before, at_75, at_100, night, dawn, seven, nine, _ = sections(result.stdout)
    assert reminders(before, "TL-MECH", serious.code) == 0
    assert reminders(at_75, "TL-MECH", serious.code) == 1
    assert escalations(at_75, "DH-EQUIP", 1) == 0
    assert escalations(at_100, "DH-EQUIP", 1) == 1
    assert reminders(at_100, "TL-MECH", serious.code) == 0

    for held in (night, dawn):
        assert reminders(held, "TL-MECH", general.code) == 0
    assert reminders(seven, "TL-MECH", general.code) == 1
    [sent] = reminded_at(plant, general.code)
    assert time(7, 0) <= sent.astimezone(PLANT_ZONE).time() < time(7, 0, 1)  # the clock runs on
    assert escalations(nine, "DH-EQUIP", 1) == 1
    everything = result.stdout.splitlines()
    assert reminders(everything, "TL-MECH", general.code) == 1
    assert reminders(everything, "TL-MECH", serious.code) == 1

"""Editing plant.yaml changes the clock and the ladder of new tickets only: a running ticket
keeps the policy it was reported under (in-process, on a copy of the demo plant)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from bot.plantfile import read_plant
from core.plant import Role, Severity
from tests.chat import DEMO_PLANT, START, Chat, Said

HOUR = timedelta(hours=1)
GENERAL = 1  # the urgency button for a general hazard


def told(said: Said, person: str, code: str) -> bool:
    return any(code in line for line in said.of(person))


def edit(plant_file: Path, old: str, new: str) -> None:
    text = plant_file.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    plant_file.write_text(text.replace(old, new), encoding="utf-8")


def test_running_tickets_keep_their_clock_and_ladder_while_new_ones_take_the_edited_ones(
    tmp_path: Path,
) -> None:
    plant_file = tmp_path / "plant.yaml"
    shutil.copy(DEMO_PLANT, plant_file)
    chat = Chat(tmp_path, plant_file=plant_file)
    old = chat.report(urgency=GENERAL).code

    edit(plant_file, "  general:\n    acknowledge: 24h\n", "  general:\n    acknowledge: 2h\n")
    edit(plant_file, "  - {role: department_head, window: 4h}\n  - {role: safety_manager}\n",
         "  - {role: safety_manager, window: 1h}\n  - {role: admin}\n")
    reloaded = read_plant(plant_file)
    assert reloaded.sla[Severity.GENERAL].acknowledge == "2h"
    assert [rung.role for rung in reloaded.escalation] == [Role.SAFETY_MANAGER, Role.ADMIN]
    chat = chat.restart()  # a new process reads the edited plant.yaml
    new = chat.report(urgency=GENERAL, colour=(20, 20, 200)).code

    assert chat.ticket(old).respond_by == START + 24 * HOUR
    assert chat.ticket(new).respond_by == START + 2 * HOUR

    said = chat.run("W01", "!wait 2h")
    assert told(said, "SM", new) and not told(said, "DH-EQUIP", new)
    assert old not in said
    said = chat.run("W01", "!wait 1h")
    assert told(said, "ADMIN", new) and old not in said
    assert (chat.ticket(old).escalation_level, chat.ticket(new).escalation_level) == (0, 2)

    said = chat.run("W01", "!wait 21h")  # 24 h after the reports
    assert told(said, "DH-EQUIP", old) and not told(said, "SM", old)
    said = chat.run("W01", "!wait 4h")
    assert told(said, "SM", old) and not told(said, "ADMIN", old)
    chat.close()

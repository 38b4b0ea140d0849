"""Texts about chains and their steps, in the reader's language, shared by the tasks, the
notices and the board."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.buttons import StepButton, encode
from core.chains import Chain, ChainStep, StepState, StepVerb
from core.plant import Plant
from handlers import render
from handlers.context import ButtonSpec
from handlers.i18n import t


def department_name(plant: Plant, department: str, lang: str) -> str:
    found = plant.departments_by_id.get(department)
    return found.label(lang) if found else department


def step_title(plant: Plant, step: ChainStep, lang: str) -> str:
    """`生产部 · 调整生产计划`: whose step, and what it is."""
    return f"{department_name(plant, step.department, lang)} · {step.label(lang)}"


def holder_name(plant: Plant, step: ChainStep) -> str:
    return render.person_name(plant, step.holder) if step.holder else "-"


def hours(span: timedelta) -> str:
    """Lateness as the board and the warning say it: hours to a tenth."""
    return f"{span / timedelta(hours=1):.1f}"


def owed(plant: Plant, step: ChainStep, lang: str) -> str:
    """What the step owes and by when: confirmation while open, the work once confirmed."""
    missed = step.missed()
    if step.state is StepState.CONFIRMED:
        return t(lang, "chain.owed_done", at=render.local_time(plant, missed))
    return t(lang, "chain.owed_confirm", at=render.local_time(plant, missed))


def state_text(plant: Plant, step: ChainStep, lang: str, now: datetime) -> str:
    """The step's state for a list: late ones say by how much."""
    text = t(lang, f"chain.state.{step.state}")
    late = step.late_by(now)
    if late > timedelta(0):
        text += " · " + t(lang, "chain.late", hours=hours(late))
    return text


def step_buttons(step: ChainStep) -> list[ButtonSpec]:
    """What the holder can do now: confirm (until they have), done, hand over."""
    if step.id is None:
        return []
    verbs = [StepVerb.DONE, StepVerb.HAND_OVER]
    if step.state is StepState.OPEN:
        verbs.insert(0, StepVerb.CONFIRM)
    return [(f"chain.button.{verb}", encode(StepButton(verb, step.id))) for verb in verbs]


def progress(chain: Chain) -> str:
    done = sum(1 for s in chain.steps if s.state is StepState.DONE)
    return f"{done}/{len(chain.steps)}"


def steps_list(plant: Plant, chain: Chain, lang: str) -> str:
    """Each step with what it waits for, one a line, as the reporter first hears of them."""
    lines = []
    for step in chain.steps:
        line = f"· {step_title(plant, step, lang)}"
        waited = [chain.step(key) for key in step.after]
        names = "、".join(w.label(lang) for w in waited if w is not None)
        if names:
            line += " " + t(lang, "chain.after", steps=names)
        lines.append(line)
    return "\n".join(lines)

"""/board: the joint board (联合处理看板) — every running chain, each department's step with its
holder, state, promised time and lateness in hours; `/board CODE` for one chain.

Safety staff, department heads and admins may read it; others are politely refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.chains import Chain, ChainStep, StepState
from core.pictures import Table
from core.plant import Person, Role
from handlers import chain_render, render
from handlers.context import Turn

BOARD_ROLES = (Role.SAFETY_OFFICER, Role.SAFETY_MANAGER, Role.DEPARTMENT_HEAD, Role.ADMIN)
# More running chains than this are not read on a phone; the board says how many are left.
MOST_CHAINS = 20


def may_see_board(person: Person) -> bool:
    return person.has(*BOARD_ROLES)


def board(turn: Turn) -> None:
    if not may_see_board(turn.person):
        turn.reply("board.not_allowed")
        return
    code = turn.event.args.strip().upper()
    if code:
        chain = turn.uow.chains.get(code)
        if chain is None:
            turn.reply("board.no_chain", code=code[:30])
            return
        shown = [chain]
    else:
        shown = turn.uow.chains.running(limit=MOST_CHAINS + 1)
        if not shown:
            turn.reply("board.empty")
            return
    now = turn.services.clock.now()
    more = max(len(shown) - MOST_CHAINS, 0)
    shown = shown[:MOST_CHAINS]
    text = "\n\n".join(chain_text(turn, chain, now) for chain in shown)
    if more:
        text += "\n\n" + turn.text("board.more", count=more)
    at = render.local_time(turn.plant, now)
    turn.reply("board.text", at=at, chains=text)
    # The picture is drawn by the delivery worker, outside this transaction.
    event = turn.event
    turn.notify.to_chat(event.channel, event.chat, turn.lang, "board.image",
                        person=turn.person.id, picture=board_table(turn, shown, now),
                        values={"at": at, "count": len(shown) + more})


HEADERS = ("ticket", "department", "step", "holder", "state", "when", "late")
# The style of a step's cells on the picture, by its state; late steps are marked late.
MARKS = {StepState.DONE: "done", StepState.WAITING: "waiting", StepState.CANCELLED: "waiting"}


def board_table(turn: Turn, chains: list[Chain], now: datetime) -> Table:
    """The board as a table picture: a row per step, its state and lateness marked."""
    plant, lang = turn.plant, turn.lang
    rows: list[tuple[str, ...]] = []
    marks: list[tuple[int, int, str]] = []
    for chain in chains:
        for step in chain.steps:
            late = step.late_by(now)
            mark = "late" if late > timedelta(0) else MARKS.get(step.state)
            if mark:
                marks += [(len(rows), HEADERS.index("state"), mark)]
                if mark == "late":
                    marks += [(len(rows), HEADERS.index("late"), mark)]
            rows.append((
                chain.ticket, chain_render.department_name(plant, step.department, lang),
                step.label(lang), chain_render.holder_name(plant, step),
                turn.text(f"chain.state.{step.state}"), _time_of(turn, step),
                chain_render.hours(late) if late > timedelta(0) else "",
            ))
    return Table(turn.text("board.image_title"),
                 tuple(turn.text(f"board.col.{name}") for name in HEADERS), tuple(rows),
                 tuple(marks), subtitle=render.local_time(plant, now))


def chain_text(turn: Turn, chain: Chain, now: datetime) -> str:
    """One chain: its ticket and name, then a line per step."""
    head = turn.text("board.chain", code=chain.ticket, chain=chain.label(turn.lang),
                     progress=chain_render.progress(chain),
                     state=turn.text(f"board.chain_state.{_chain_state(chain)}"))
    return "\n".join([head, *(step_line(turn, step, now) for step in chain.steps)])


def step_line(turn: Turn, step: ChainStep, now: datetime) -> str:
    plant, lang = turn.plant, turn.lang
    return turn.text(
        "board.step", step=chain_render.step_title(plant, step, lang),
        holder=chain_render.holder_name(plant, step),
        state=chain_render.state_text(plant, step, lang, now), when=when(turn, step),
    )


def when(turn: Turn, step: ChainStep) -> str:
    """The time that matters for the step now: promised, due to confirm, or done at."""
    plant = turn.plant
    if step.state is StepState.DONE:
        return turn.text("board.when_done", at=render.local_time(plant, step.done_at))
    if step.state in (StepState.OPEN, StepState.CONFIRMED):
        return chain_render.owed(plant, step, turn.lang)
    return "-"


def _time_of(turn: Turn, step: ChainStep) -> str:
    """The picture's short form of `when`: the time alone, its column says what it is."""
    at = step.done_at if step.state is StepState.DONE else step.missed()
    return render.local_time(turn.plant, at) if at else ""


def _chain_state(chain: Chain) -> str:
    if chain.cancelled_at is not None:
        return "cancelled"
    return "completed" if chain.completed_at is not None else "running"

"""/my and /status: a reporter's tickets in three stages (已接收 / 处理中 / 已完成), newest
first, each with a button that opens it; a ticket's card with the buttons its reader may
press on it now, so a judgement or a step is never lost when its prompt has scrolled away."""

from __future__ import annotations

from enum import StrEnum

from core.buttons import ViewButton, encode
from core.tickets import Status, Ticket, awaits_decision, may_view
from handlers import render
from handlers.context import Turn

# As many as a phone shows without scrolling far; older ones are a /status CODE away.
MY_MOST = 10


class Stage(StrEnum):
    """Where a report is, as its reporter follows it."""

    RECEIVED = "received"  # 已接收: with the team or safety staff, not started yet
    WORKING = "working"  # 处理中: being fixed
    DONE = "done"  # 已完成: fixed, or the handling is over (closed, or rejected for good)


def stage_of(ticket: Ticket) -> Stage:
    if ticket.status is Status.IN_PROGRESS:
        return Stage.WORKING
    if ticket.status in (Status.RESOLVED, Status.CLOSED):
        return Stage.DONE
    if ticket.status is Status.REJECTED and not awaits_decision(ticket):
        return Stage.DONE
    return Stage.RECEIVED  # reported, accepted, or a team's rejection under review


# Statuses a stage's name alone would hide from the reporter: said after the stage.
_TOLD_APART = (Status.CLOSED, Status.REJECTED)


def my(turn: Turn) -> None:
    tickets = turn.uow.tickets.by_reporter(turn.person.id, limit=MY_MOST)
    if not tickets:
        turn.reply("my.none")
        return
    lines = "\n".join(my_line(turn, ticket) for ticket in tickets)
    buttons = [(ticket.code, encode(ViewButton(ticket.code))) for ticket in tickets]
    turn.reply("my.stages", lines=lines, buttons=buttons)


def my_line(turn: Turn, ticket: Ticket) -> str:
    stage = turn.text(f"stage.{stage_of(ticket)}")
    if ticket.status in _TOLD_APART:
        stage = turn.text("stage.with_status", stage=stage,
                          status=turn.text(f"status.{ticket.status}"))
    return turn.text(
        "my.line", code=ticket.code, stage=stage,
        area=render.area_name(turn.plant, ticket.area, turn.lang),
        created=render.local_time(turn.plant, ticket.created_at),
    )


def status(turn: Turn) -> None:
    code = turn.event.args.strip().upper()
    if not code:
        turn.reply("status.usage")
        return
    show(turn, code)


def press_view(turn: Turn, pressed: ViewButton) -> None:
    show(turn, pressed.code.upper())


def show(turn: Turn, code: str) -> None:
    """The ticket's card for this reader, with every button they may press on it now."""
    ticket = turn.uow.tickets.get(code)
    if ticket is None:
        turn.reply("refused.unknown_ticket", code=code[:30])
        return
    joined_by = turn.uow.duplicates.followers(ticket.code)
    if not may_view(turn.plant, turn.person, ticket, follows=turn.person.id in joined_by):
        turn.reply("refused.not_yours", code=code)
        return
    # The very table and checks a card and a press use (render.ticket_buttons): one list.
    buttons = render.ticket_buttons(turn.plant, ticket, reader=turn.person.id)
    turn.reply("status.card", card=render.card(turn.plant, ticket, turn.lang, joined_by),
               validity=turn.text(f"validity.{ticket.validity}"),
               level=ticket.escalation_level, points=ticket.points, buttons=buttons)

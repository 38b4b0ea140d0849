"""Buttons on tickets: accept, start, done, reject, reassign, verify, validate and grade.

A press is re-checked against the presser's role and the ticket's state every
time. Actions that need one more thing (an after photo, a reason, a team, the
original ticket) ask for it in a short follow-up conversation; see
ticket_actions.mmd.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from core.dialog import END, STAY, EventKind, Flow, Incoming, Outcome, Step
from core.ports import TicketFilter
from core.services import ActionRefused, ActOnTicket, act_on_ticket, check_allowed, check_ready
from core.tickets import OPEN_STATUSES, Action, Ticket
from handlers import choices, major_answers, photos, render
from handlers.context import Turn
from handlers.drafts import FollowUpDraft
from handlers.flows import start_flow


class FollowUp(Enum):
    AFTER_PHOTO = "after_photo"
    REASON = "reason"
    TEAM = "team"
    ORIGINAL = "original"
    NOT_FIXED = "not_fixed"  # the reporter's why: a few words or a photo


NEEDS = {
    Action.DONE: FollowUp.AFTER_PHOTO,
    Action.REJECT: FollowUp.REASON,
    Action.INVALID: FollowUp.REASON,
    Action.REOPEN: FollowUp.REASON,
    Action.REASSIGN: FollowUp.TEAM,
    Action.DUPLICATE: FollowUp.ORIGINAL,
    Action.OVERRULE: FollowUp.REASON,  # then the team that takes the work back
    Action.NOT_FIXED: FollowUp.NOT_FIXED,
}
# What a step returns: the next state, END or STAY.
Next = FollowUp | Outcome


def _draft(turn: Turn) -> FollowUpDraft:
    return FOLLOW_UP.record_of(turn)


def press(turn: Turn, action: Action, code: str) -> None:
    ticket = turn.uow.tickets.get(code)
    try:
        if ticket is None:
            raise ActionRefused("unknown_ticket")
        check_allowed(turn.plant, turn.person.id, action, ticket)
        # Before any follow-up question: a major hazard may refuse the action outright.
        check_ready(turn.uow, turn.plant, turn.person.id, action, ticket)
    except ActionRefused as refused:
        if not major_answers.answer(turn, refused.reason, code):
            turn.reply(f"refused.{refused.reason}", code=code)
        return
    if action in NEEDS:
        draft = FollowUpDraft(code=code, action=action, handle=turn.event.handle)
        start_flow(in_private(turn), FOLLOW_UP, at=NEEDS[action], record=draft)
        return
    perform(turn, ActOnTicket(code=code, action=action, actor=turn.person.id),
            handle=turn.event.handle)


def in_private(turn: Turn) -> Turn:
    """The same turn in the presser's direct chat: a group hears only commands and buttons,
    so a question that follows a press in a team group is asked privately."""
    if not turn.event.is_group:
        return turn
    event = replace(turn.event, chat=turn.event.sender, is_group=False)
    return replace(turn, event=event)


def perform(turn: Turn, command: ActOnTicket, *, handle: str = "") -> bool:
    try:
        act_on_ticket(command, uow=turn.uow, plant=turn.plant, clock=turn.services.clock)
    except ActionRefused as refused:
        turn.reply(f"refused.{refused.reason}", code=command.code)
        return False
    ticket = turn.uow.tickets.get(command.code)
    assert ticket is not None
    outcome = turn.text(f"outcome.{command.action}", actor=render.person_name(
        turn.plant, turn.person.id))
    if handle:
        card = render.card(turn.plant, ticket, turn.lang,
                           turn.uow.duplicates.followers(ticket.code))
        turn.reply("ticket.outcome", edit=handle, card=card, outcome=outcome)
    else:
        turn.reply("ticket.outcome_short", code=ticket.code, outcome=outcome)
    return True


def _finish(turn: Turn, **extra: str | None) -> Next:
    draft = _draft(turn)
    command = ActOnTicket(code=draft.code, action=draft.action, actor=turn.person.id, **extra)
    perform(turn, command, handle=draft.handle)
    return END


def _ask_photo(turn: Turn) -> None:
    turn.reply("followup.after_photo", code=_draft(turn).code)


def _take_photo(turn: Turn, event: Incoming) -> Next:
    stored = photos.accept(turn, event)
    return _finish(turn, after_photo=stored.sha256) if stored else STAY


def _ask_reason(turn: Turn) -> None:
    turn.reply("followup.reason", code=_draft(turn).code)


def _take_reason(turn: Turn, event: Incoming) -> Next:
    reason = event.text.strip()
    if event.kind is not EventKind.TEXT or not 2 <= len(reason) <= 500:
        turn.reply("followup.reason_invalid")
        return STAY
    draft = _draft(turn)
    if draft.action is Action.OVERRULE:
        draft.reason = reason
        return FollowUp.TEAM
    return _finish(turn, reason=reason)


def _ask_team(turn: Turn) -> None:
    draft, lang = _draft(turn), turn.lang
    current = turn.uow.tickets.get(draft.code)
    teams = turn.plant.teams
    if draft.action is Action.OVERRULE:
        # Back to the team that rejected it is the usual answer, so it comes first.
        ordered = sorted(teams, key=lambda team: current is None or team.id != current.team)
        key = "followup.overrule_team"
    else:
        ordered = [team for team in teams if current is None or team.id != current.team]
        key = "followup.team"
    choices.offer(turn, key, [(team.label(lang), team.id) for team in ordered],
                  code=draft.code)


def _take_team(turn: Turn, event: Incoming) -> Next:
    choice = choices.choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:  # a stale press was answered already
            choices.refuse(turn, "followup.team_invalid")
        return STAY
    wanted = choice.casefold()
    team = next((t.id for t in turn.plant.teams
                 if wanted in (t.id.casefold(), t.name.casefold(), t.name_en.casefold())), None)
    if team is None:
        choices.refuse(turn, "followup.team_invalid")
        return STAY
    return _finish(turn, team=team, reason=_draft(turn).reason)


def _ask_original(turn: Turn) -> None:
    code = _draft(turn).code
    ticket = turn.uow.tickets.get(code)
    candidates = _duplicate_candidates(turn, ticket) if ticket else []
    if not candidates:
        turn.reply("followup.original", code=code)
        return
    buttons = [(f"{c.code} · {c.equipment or render.area_name(turn.plant, c.area, turn.lang)}",
                c.code) for c in candidates]
    choices.offer(turn, "followup.original_choices", buttons, code=code)


def _duplicate_candidates(turn: Turn, ticket: Ticket, most: int = 5) -> list[Ticket]:
    """The match the duplicate check suggested when it was filed (core/duplicates.py), then
    open tickets in the same area, those at the same equipment first."""
    nearby = turn.uow.tickets.find(TicketFilter(statuses=OPEN_STATUSES, area=ticket.area),
                                   limit=50)
    others = [t for t in nearby if t.code not in (ticket.code, ticket.suspected_duplicate_of)]
    others.sort(key=lambda t: ticket.equipment is None or t.equipment != ticket.equipment)
    suggested = (turn.uow.tickets.get(ticket.suspected_duplicate_of)
                 if ticket.suspected_duplicate_of else None)
    first = [suggested] if suggested else []  # open or not: the officer may agree with it
    return first + others[:most - len(first)]


def _take_original(turn: Turn, event: Incoming) -> Next:
    choice = choices.choose(turn, event)
    if choice is None:
        if event.kind is not EventKind.BUTTON:
            choices.refuse(turn, "followup.original_invalid", code="-")
        return STAY
    original, code = choice.strip().upper(), _draft(turn).code
    if original == code:
        choices.refuse(turn, "refused.duplicate_of_itself")
        return STAY
    if turn.uow.tickets.get(original) is None:
        choices.refuse(turn, "followup.original_invalid", code=original[:30] or "-")
        return STAY
    return _finish(turn, duplicate_of=original)


def _ask_not_fixed(turn: Turn) -> None:
    turn.reply("followup.not_fixed", code=_draft(turn).code)


def _take_not_fixed(turn: Turn, event: Incoming) -> Next:
    """Words or a photo: a reporter shows what is still wrong as easily as they tell it."""
    if event.kind in (EventKind.PHOTO, EventKind.DOCUMENT):
        stored = photos.accept(turn, event)
        return _finish(turn, photo=stored.sha256) if stored else STAY
    reason = event.text.strip()
    if event.kind is not EventKind.TEXT or not 2 <= len(reason) <= 500:
        turn.reply("followup.not_fixed_invalid")
        return STAY
    return _finish(turn, reason=reason)


FOLLOW_UP: Flow[FollowUp, Turn, FollowUpDraft] = Flow(
    name="follow_up",
    states=FollowUp,
    start=FollowUp.REASON,
    record=FollowUpDraft,
    steps={
        FollowUp.AFTER_PHOTO: Step(_ask_photo, _take_photo),
        FollowUp.REASON: Step(_ask_reason, _take_reason),
        FollowUp.TEAM: Step(_ask_team, _take_team),
        FollowUp.ORIGINAL: Step(_ask_original, _take_original),
        FollowUp.NOT_FIXED: Step(_ask_not_fixed, _take_not_fixed),
    },
)

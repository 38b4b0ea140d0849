"""Use cases on cross-department chains: one function each, dependencies passed in.

Each records its events on the unit of work (and in the audit log); their subscribers run
just before commit. The ticket's own resolve is the same fact as a team's fix
(`TicketResolved`), so verification, points and the before/after picture follow as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, is_dataclass
from datetime import datetime

from core import chains
from core.chain_events import (
    ChainCancelled,
    ChainOpened,
    StepConfirmed,
    StepDone,
    StepHandedOver,
    StepOpened,
    StepReminded,
    StepWarned,
)
from core.chain_rules import holders, new_chain, rule_for, superior_of
from core.chains import Chain, ChainStep, StepRefused, StepState, StepVerb
from core.events import TicketActed, TicketResolved, audit_name
from core.plant import Plant
from core.ports import Clock, UnitOfWork
from core.tickets import Action, Status, Ticket


@dataclass(frozen=True)
class ConfirmStep:
    step_id: int
    actor: str
    promised_at: datetime


@dataclass(frozen=True)
class FinishStep:
    step_id: int
    actor: str
    note: str | None = None
    photo: str | None = None


@dataclass(frozen=True)
class HandOverStep:
    step_id: int
    actor: str
    to: str


def open_chain(code: str, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> Chain | None:
    """Start the chain a new ticket's report matches, if any: its first steps go to their
    holders and the ticket's own escalation clock stops while the steps are timed."""
    ticket = uow.tickets.get(code)
    if ticket is None or not ticket.is_open or uow.chains.get(code) is not None:
        return None
    rule = rule_for(plant, category=ticket.category, area=ticket.area,
                    equipment=ticket.equipment)
    if rule is None:
        return None
    now = clock.now()
    chain = new_chain(plant, rule, ticket.code, now)
    opened = chains.open_ready(chain, holders(plant, chain), now)
    uow.chains.add(chain)
    ticket.chain_running = True
    ticket.due_at = ticket.remind_at = None
    uow.tickets.save(ticket)
    _record(uow, clock, ChainOpened(ticket.code, rule.id))
    for step in opened:
        _record(uow, clock, StepOpened(ticket.code, step.key, step.holder or ""))
    return chain


def step_of(uow: UnitOfWork, step_id: int) -> tuple[Chain, ChainStep]:
    """The chain and one of its steps, read after its ticket is locked (the chain's guard);
    refused when there is no such step."""
    found = uow.chains.by_step(step_id)
    ticket = uow.tickets.get(found.ticket) if found else None
    chain = uow.chains.get(ticket.code) if ticket else None
    step = chain.step_by_id(step_id) if chain else None
    if chain is None or step is None:
        raise StepRefused("step_unknown")
    return chain, step


def check_step(uow: UnitOfWork, step_id: int, actor: str, verb: StepVerb) -> ChainStep:
    """The step, if `actor` may do `verb` to it now; StepRefused says why not."""
    chain, step = step_of(uow, step_id)
    _check_running(chain)
    chains.check(step, actor, verb)
    return step


def confirm_step(cmd: ConfirmStep, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> ChainStep:
    chain, step = step_of(uow, cmd.step_id)
    _check_running(chain)
    now = clock.now()
    chains.confirm(step, cmd.actor, cmd.promised_at, now)
    uow.chains.save(chain)
    _acknowledge(uow, chain, now)
    _record(uow, clock, StepConfirmed(chain.ticket, step.key, cmd.actor, cmd.promised_at))
    return step


def finish_step(cmd: FinishStep, *, uow: UnitOfWork, plant: Plant, clock: Clock) -> ChainStep:
    """The step is done; the steps that waited for it open, and the ticket resolves once
    every step is done."""
    chain, step = step_of(uow, cmd.step_id)
    _check_running(chain)
    now = clock.now()
    chains.finish(step, cmd.actor, now, note=cmd.note, photo=cmd.photo)
    opened = chains.open_ready(chain, holders(plant, chain), now)
    if chain.all_done():
        chain.completed_at = now
    uow.chains.save(chain)
    _acknowledge(uow, chain, now)
    _record(uow, clock, StepDone(chain.ticket, step.key, cmd.actor, cmd.note))
    for waited in opened:
        _record(uow, clock, StepOpened(chain.ticket, waited.key, waited.holder or ""))
    if chain.completed_at is not None:
        _resolve(uow, clock, chain, cmd.actor, now)
    return step


def hand_over_step(
    cmd: HandOverStep, *, uow: UnitOfWork, plant: Plant, clock: Clock
) -> ChainStep:
    chain, step = step_of(uow, cmd.step_id)
    _check_running(chain)
    to = plant.person(cmd.to)
    if to is None or to.department != step.department:
        raise StepRefused("handover_elsewhere")
    chains.hand_over(step, cmd.actor, to.id, clock.now())
    uow.chains.save(chain)
    _record(uow, clock, StepHandedOver(chain.ticket, step.key, to.id, handed_by=cmd.actor))
    return step


def sweep_late_steps(
    *, uow: UnitOfWork, plant: Plant, clock: Clock, limit: int = 100
) -> list[object]:
    """Move every late step one rung (at most `limit` chains' worth)."""
    return late_steps(uow.chains.due(clock.now(), limit), uow=uow, plant=plant, clock=clock)


def late_steps(
    due: Sequence[Chain], *, uow: UnitOfWork, plant: Plant, clock: Clock
) -> list[object]:
    """Move each due step of these chains one rung: remind its holder, then warn their
    superior once; a sweep at the same instant again finds nothing to do."""
    now = clock.now()
    events: list[object] = []
    for chain in due:
        ticket = uow.tickets.get(chain.ticket)
        if ticket is None or not ticket.is_open:
            events += _cancel(uow, clock, chain, ticket)
            continue
        for step in chain.steps:
            if step.due_at is not None and step.due_at <= now:
                event = _climb(plant, chain, step, now)
                if event is not None:
                    _record(uow, clock, event)
                    events.append(event)
        uow.chains.save(chain)
    return events


def _climb(plant: Plant, chain: Chain, step: ChainStep, now: datetime) -> object | None:
    missed, confirmed = step.missed(), step.state is StepState.CONFIRMED
    climbed = chains.late(step, now)
    if climbed is None:
        chains.stop(step, now)
        return None
    step.keep(climbed.deadline)
    holder = step.holder or ""
    if climbed.deadline.level == chains.REMINDED:
        return StepReminded(chain.ticket, step.key, holder, missed, confirmed)
    superior = superior_of(plant, holder)
    if superior is None:
        return None  # nobody above: the reminder was the last word
    return StepWarned(chain.ticket, step.key, holder, missed, confirmed, superior)


def cancel_chain(code: str, *, uow: UnitOfWork, clock: Clock) -> list[object]:
    """The ticket ended another way (a duplicate, invalid): its chain's steps stop."""
    chain = uow.chains.get(code)
    if chain is None or not chain.running:
        return []
    return _cancel(uow, clock, chain, uow.tickets.get(code))


def _cancel(uow: UnitOfWork, clock: Clock, chain: Chain, ticket: Ticket | None) -> list[object]:
    stopped = chains.cancel(chain, clock.now())
    uow.chains.save(chain)
    if ticket is not None and ticket.chain_running:
        ticket.chain_running = False
        uow.tickets.save(ticket)
    event = ChainCancelled(chain.ticket, tuple(s.holder for s in stopped if s.holder))
    _record(uow, clock, event)
    return [event]


def note_closed(code: str, *, uow: UnitOfWork) -> Chain | None:
    """Keep a chain ticket's close cycle (reported → closed, in days) for the monthly report."""
    chain, ticket = uow.chains.get(code), uow.tickets.get(code)
    if chain is None or ticket is None or ticket.closed_at is None:
        return None
    chain.closed_at = ticket.closed_at
    chain.close_days = chains.close_days(ticket.created_at, ticket.closed_at)
    uow.chains.save(chain)
    return chain


def _check_running(chain: Chain) -> None:
    if not chain.running:
        raise StepRefused("step_finished")


def _acknowledge(uow: UnitOfWork, chain: Chain, now: datetime) -> None:
    """A chain ticket counts as taken on once any step is confirmed or done."""
    ticket = uow.tickets.get(chain.ticket)
    if ticket is not None and ticket.status is Status.REPORTED:
        ticket.status, ticket.acknowledged_at = Status.IN_PROGRESS, now
        ticket.started_at = ticket.started_at or now
        uow.tickets.save(ticket)


def _resolve(uow: UnitOfWork, clock: Clock, chain: Chain, actor: str, now: datetime) -> None:
    """Every step is done: the ticket resolves as a team's fix does, with the newest photo
    a step was done with as its after photo (for the before/after picture)."""
    ticket = uow.tickets.get(chain.ticket)
    if ticket is None:
        raise LookupError(chain.ticket)
    photos = [s for s in chain.steps if s.photo and s.done_at]
    newest = max(photos, key=lambda s: s.done_at or now, default=None)
    previous = ticket.status
    ticket.status, ticket.resolved_at, ticket.chain_running = Status.RESOLVED, now, False
    ticket.after_photo = newest.photo if newest else ticket.after_photo
    ticket.due_at = ticket.remind_at = None
    uow.tickets.save(ticket)
    _record(uow, clock, TicketResolved(ticket.code, Action.DONE, actor,
                                       previous_status=previous))


def _record(uow: UnitOfWork, clock: Clock, event: object) -> None:
    """Write the event to the audit log, as core.services records ticket events, and record
    it for its subscribers."""
    if not is_dataclass(event) or isinstance(event, type):
        raise TypeError(f"not an event: {event!r}")
    data = {k: v for k, v in asdict(event).items() if v not in (None, ())}
    actor = str(data.pop("actor", data.get("holder") or "system"))
    subject = str(data.pop("code", ""))
    name = audit_name(event) if isinstance(event, TicketActed) else type(event).__name__
    uow.audit.append(at=clock.now(), actor=actor, action=name, subject=subject, data=data)
    uow.record(event)

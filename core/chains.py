"""A cross-department chain (联合处置): one ticket, a few departments' steps, each on its own
clock from the deadline kit.

A step waits for the steps named in its `after`, then opens: its holder gets the task and
has the step's window to confirm it with a promised time; then it is done. A holder may
hand it over to someone of the same department, who must confirm it again. Done may also
come straight from open, for work finished before anyone asked when.

Lateness climbs a two-rung ladder (`lateness_policy`): when the window to confirm or the
promised time passes, the holder is reminded (rung 1); if the step is still late after the
grace (`warn_after`), the holder's superior is warned (rung 2), once. Confirming, handing
over and finishing start the clock afresh at the bottom, so each lateness warns once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core import deadline
from core.deadline import Climb, Deadline, DeadlinePolicy, Rung
from core.plant import Role


class StepState(StrEnum):
    WAITING = "waiting"  # for the steps in its `after`
    OPEN = "open"  # the task is with its holder, to confirm
    CONFIRMED = "confirmed"  # with a promised time
    DONE = "done"
    CANCELLED = "cancelled"  # the ticket was closed another way (a duplicate, invalid)


ACTIVE = (StepState.OPEN, StepState.CONFIRMED)
FINISHED = (StepState.DONE, StepState.CANCELLED)

# The name of a step's one window in its policy.
CONFIRM = "confirm"
# The two rungs of lateness, as levels of the step's deadline.
REMINDED, WARNED = 1, 2


class StepVerb(StrEnum):
    """What a step's holder can do with it, one button each."""

    CONFIRM = "confirm"
    DONE = "done"
    HAND_OVER = "handover"


class StepRefused(Exception):
    """The step cannot be moved so; `reason` is a message key the handlers translate."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def lateness_policy(window: timedelta, warn_after: timedelta, role: Role) -> DeadlinePolicy:
    """A step's policy: its window to confirm, then the reminder rung (timed by the grace)
    and the warning rung. Both rungs name the holder's role: who is told is worked out from
    the holder (they themselves, then their superior), not from a role."""
    return DeadlinePolicy({CONFIRM: window}, (Rung(role, warn_after), Rung(role)))


@dataclass
class ChainStep:
    key: str  # the step's id in plant.yaml
    department: str
    role: Role
    policy: DeadlinePolicy
    team: str | None = None
    after: tuple[str, ...] = ()
    holder: str | None = None
    state: StepState = StepState.WAITING
    level: int = 0
    due_at: datetime | None = None
    opened_at: datetime | None = None
    confirmed_at: datetime | None = None
    promised_at: datetime | None = None
    done_at: datetime | None = None
    note: str | None = None
    photo: str | None = None
    handed_by: str | None = None  # who handed the step to its holder, if anyone
    name: str = ""
    name_en: str = ""
    id: int | None = None

    def label(self, lang: str) -> str:
        return (self.name_en if lang == "en" and self.name_en else self.name) or self.key

    @property
    def window(self) -> timedelta:
        return self.policy.window(CONFIRM) or timedelta(0)

    @property
    def deadline(self) -> Deadline:
        return Deadline(self.policy, self.level, self.due_at)

    def keep(self, moved: Deadline) -> None:
        self.level, self.due_at = moved.level, moved.due_at

    def missed(self) -> datetime | None:
        """The time the step is measured against now: the end of the window to confirm while
        open, the promised time once confirmed; None when nothing is owed."""
        if self.state is StepState.OPEN and self.opened_at is not None:
            return self.opened_at + self.window
        if self.state is StepState.CONFIRMED:
            return self.promised_at
        return None

    def late_by(self, now: datetime) -> timedelta:
        """How far past `missed` the step is now (zero when it is not)."""
        owed = self.missed()
        return max(now - owed, timedelta(0)) if owed is not None else timedelta(0)


@dataclass
class Chain:
    ticket: str
    rule: str  # the chain's id in plant.yaml
    name: str
    opened_at: datetime
    name_en: str = ""
    steps: list[ChainStep] = field(default_factory=list)
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    closed_at: datetime | None = None
    # Reported → closed, in days, for the monthly report; set when the ticket closes.
    close_days: float | None = None
    id: int | None = None

    @property
    def running(self) -> bool:
        return self.completed_at is None and self.cancelled_at is None

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name

    def step(self, key: str) -> ChainStep | None:
        return next((s for s in self.steps if s.key == key), None)

    def step_by_id(self, step_id: int) -> ChainStep | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def all_done(self) -> bool:
        return bool(self.steps) and all(s.state is StepState.DONE for s in self.steps)

    def due_at(self) -> datetime | None:
        """The soonest lateness check among its steps."""
        return min((s.due_at for s in self.steps if s.due_at is not None), default=None)


def open_ready(chain: Chain, holders: dict[str, str | None], now: datetime) -> list[ChainStep]:
    """Open every waiting step whose `after` steps are all done, with its holder from
    `holders` (step key → person); the steps opened."""
    done = {s.key for s in chain.steps if s.state is StepState.DONE}
    opened = []
    for step in chain.steps:
        if step.state is StepState.WAITING and set(step.after) <= done:
            _open(step, holders.get(step.key), now)
            opened.append(step)
    return opened


def _open(step: ChainStep, holder: str | None, now: datetime) -> None:
    step.state, step.holder, step.opened_at = StepState.OPEN, holder, now
    step.confirmed_at = step.promised_at = None
    step.keep(deadline.start(step.policy, CONFIRM, now))


def check(step: ChainStep, actor: str, verb: StepVerb) -> None:
    """Raise StepRefused unless `actor` may do `verb` to the step as it is now."""
    if step.state is StepState.WAITING:
        raise StepRefused("step_waiting")
    if step.state in FINISHED:
        raise StepRefused("step_finished")
    if actor != step.holder:
        raise StepRefused("step_not_yours")
    if verb is StepVerb.CONFIRM and step.state is StepState.CONFIRMED:
        raise StepRefused("step_confirmed")


def confirm(step: ChainStep, actor: str, promised_at: datetime, now: datetime) -> None:
    """The holder takes the step on and says when it will be done."""
    check(step, actor, StepVerb.CONFIRM)
    if promised_at <= now:
        raise StepRefused("promise_past")
    step.state, step.confirmed_at, step.promised_at = StepState.CONFIRMED, now, promised_at
    step.keep(deadline.moved(step.deadline, now=now, due_at=promised_at, level=0))


def finish(step: ChainStep, actor: str, now: datetime, *, note: str | None = None,
           photo: str | None = None) -> None:
    check(step, actor, StepVerb.DONE)
    if not (note or photo):
        raise StepRefused("done_needs_note")
    step.state, step.done_at, step.note, step.photo = StepState.DONE, now, note, photo
    step.keep(deadline.moved(step.deadline, now=now, due_at=None, level=0))


def hand_over(step: ChainStep, actor: str, to: str, now: datetime) -> None:
    """The step goes to `to` (the caller checked they are of its department), who must
    confirm it again: a fresh window, from the bottom of the ladder."""
    check(step, actor, StepVerb.HAND_OVER)
    if to == step.holder:
        raise StepRefused("handover_same")
    step.handed_by = actor
    _open(step, to, now)


def cancel(chain: Chain, now: datetime) -> list[ChainStep]:
    """The ticket ended another way: every unfinished step stops, with its clock."""
    stopped = [s for s in chain.steps if s.state not in FINISHED]
    for step in stopped:
        step.state = StepState.CANCELLED
        step.keep(deadline.moved(step.deadline, now=now, due_at=None))
    chain.cancelled_at = now
    return stopped


def late(step: ChainStep, now: datetime) -> Climb | None:
    """The step's deadline passed: the next rung of lateness, or None once its superior was
    warned (the step then waits untimed for its holder)."""
    if step.state not in ACTIVE:
        return None
    return deadline.climb(step.deadline, now)


def stop(step: ChainStep, now: datetime) -> None:
    step.keep(deadline.moved(step.deadline, now=now, due_at=None))


def close_days(opened_at: datetime, closed_at: datetime) -> float:
    """The close cycle in days, to a tenth."""
    return round((closed_at - opened_at) / timedelta(days=1), 1)

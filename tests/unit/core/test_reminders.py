"""Reminders on the deadline kit: once per window, the top rung until someone acts, held in
the quiet hours, gathered for digests, and gone with the step they were about."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core import escalation
from core.clock import SimClock
from core.events import TicketEscalated, TicketReminded
from core.plant import Person, Plant, Role, Severity
from core.reminder_settings import ReminderSettings
from core.reminding import next_digest_at, remind_due_tickets, send_digests
from core.services import ActOnTicket, act_on_ticket, escalate_due_tickets
from core.tickets import Action, Ticket
from tests.unit.core.fakes import T0, FakeUnitOfWork, make_plant, report

HOUR = timedelta(hours=1)
PLANT = make_plant()
PHOTO = "b" * 64
QUIET = replace(PLANT, reminders=ReminderSettings(quiet_hours="22:00-07:00"))


def sweep(uow: FakeUnitOfWork, clock: SimClock, plant: Plant = PLANT) -> list[object]:
    """What the scheduler's jobs do at one instant, in their order: escalate, then remind."""
    events: list[object] = list(escalate_due_tickets(uow=uow, plant=plant, clock=clock))
    events += remind_due_tickets(uow=uow, plant=plant, clock=clock)
    return events


def reminded(events: list[object]) -> list[tuple[int, tuple[str, ...], bool]]:
    return [(e.level, e.recipients, e.repeat) for e in events if isinstance(e, TicketReminded)]


def climbed(events: list[object]) -> list[tuple[int, tuple[str, ...]]]:
    return [(e.level, e.recipients) for e in events if isinstance(e, TicketEscalated)]


def wait(uow: FakeUnitOfWork, clock: SimClock, span: timedelta,
         plant: Plant = PLANT) -> list[object]:
    """Advance the clock, sweeping at every instant something fell due, as `!wait` does."""
    until = clock.now() + span
    events: list[object] = []
    while True:
        due = [d for d in (uow.tickets.next_due_at(), uow.reminders.next_due_at())
               if d is not None and d <= until]
        if not due:
            break
        clock.set(max(min(due), clock.now()))
        events += sweep(uow, clock, plant)
    clock.set(until)
    return events + sweep(uow, clock, plant)


def act(uow: FakeUnitOfWork, clock: SimClock, code: str, action: Action, actor: str,
        plant: Plant = PLANT, **extra: str) -> None:
    act_on_ticket(ActOnTicket(code=code, action=action, actor=actor, **extra),
                  uow=uow, plant=plant, clock=clock)


def stored(uow: FakeUnitOfWork, code: str) -> Ticket:
    ticket = uow.tickets.get(code)
    assert ticket is not None
    return ticket


def test_the_team_lead_is_reminded_once_at_three_quarters_of_the_response_window(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    clock.advance(18 * HOUR - timedelta(seconds=1))
    assert sweep(uow, clock) == []
    clock.advance(timedelta(seconds=1))
    assert reminded(sweep(uow, clock)) == [(0, ("TL-MECH",), False)]
    assert sweep(uow, clock) == [], "the sweep moved the reminder on: nothing twice"
    assert reminded(wait(uow, clock, 6 * HOUR - timedelta(seconds=1))) == []


def test_each_rung_is_reminded_within_its_own_window_and_escalation_follows_at_its_end(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    report(uow, PLANT, clock)
    events = wait(uow, clock, 28 * HOUR)
    assert reminded(events) == [(0, ("TL-MECH",), False), (1, ("DH-EQUIP",), False)]
    assert climbed(events) == [(1, ("DH-EQUIP",)), (2, ("SM",))]
    [at_one] = [e for e in uow.audit.rows if e.action == "TicketReminded" and e.data["level"] == 1]
    assert at_one.at == T0 + 27 * HOUR  # 24 h, then 75 % of the department head's 4 h


def test_a_critical_ticket_tells_every_rung_at_once_and_lands_on_the_top(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock, urgency=Severity.CRITICAL).code
    clock.advance(15 * HOUR // 60)
    [event] = [e for e in sweep(uow, clock) if isinstance(e, TicketEscalated)]
    assert (event.level, event.role, event.recipients) == (2, Role.SAFETY_MANAGER,
                                                           ("DH-EQUIP", "SM"))
    assert event.passed == (Role.DEPARTMENT_HEAD,)
    ticket = stored(uow, code)
    assert (ticket.escalation_level, ticket.due_at) == (2, None)
    assert climbed(wait(uow, clock, 23 * HOUR)) == [], "told once"


def test_the_top_rung_is_reminded_every_24_hours_until_someone_acts(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    wait(uow, clock, 28 * HOUR)  # at the top: the safety manager was told
    events = wait(uow, clock, 48 * HOUR)
    assert reminded(events) == [(2, ("SM",), True), (2, ("SM",), True)]
    at = [e.at for e in uow.audit.rows if e.action == "TicketReminded" and e.data["repeat"]]
    assert at == [T0 + 52 * HOUR, T0 + 76 * HOUR]
    act(uow, clock, code, Action.REJECT, "TL-MECH", reason="不是隐患")
    assert reminded(wait(uow, clock, 72 * HOUR)) == []


def test_a_repeat_that_sweeps_late_keeps_its_rhythm_and_sends_once(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    wait(uow, clock, 28 * HOUR)
    clock.advance(24 * HOUR + 5 * 60 * timedelta(seconds=1))  # the sweep ran 5 minutes late
    assert reminded(sweep(uow, clock)) == [(2, ("SM",), True)]
    assert stored(uow, code).remind_at == T0 + 76 * HOUR


def test_the_top_rung_hears_again_when_a_deadline_passes_after_someone_acted(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    wait(uow, clock, 28 * HOUR)
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")  # the rectification clock: day 7
    events = wait(uow, clock, timedelta(days=7) - 28 * HOUR - timedelta(seconds=1))
    assert reminded(events) == [(2, ("SM",), False)], "75 % of the time left"
    events = wait(uow, clock, timedelta(seconds=1))
    assert climbed(events) == [], "no rung above the top"
    assert reminded(wait(uow, clock, 24 * HOUR - timedelta(seconds=1))) == []
    assert reminded(wait(uow, clock, timedelta(seconds=1))) == [(2, ("SM",), True)], "late again"


def test_acting_at_the_top_after_the_deadline_passed_brings_no_reminder_at_once(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock, urgency=Severity.SERIOUS).code  # resolve within 4 h
    wait(uow, clock, 8 * HOUR)  # at the top: the safety manager was told
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")  # the rectification deadline has passed
    assert reminded(wait(uow, clock, 24 * HOUR - timedelta(seconds=1))) == []
    assert reminded(wait(uow, clock, timedelta(seconds=1))) == [(2, ("SM",), True)]


def test_a_top_rung_without_repeat_hears_once() -> None:
    plant = replace(PLANT, reminders=ReminderSettings(repeat="24h"))
    uow, clock = FakeUnitOfWork(), SimClock(T0)
    code = report(uow, plant, clock).code
    ticket = stored(uow, code)
    ticket.policy = replace(escalation.policy_of(plant, ticket), repeat=None)
    uow.tickets.save(ticket)
    assert [lvl for lvl, _, rep in reminded(wait(uow, clock, 5 * 24 * HOUR, plant)) if rep] == []


# --- every action moves the deadline, and a reminder of the old step with it

STEP_ENDS = [
    pytest.param(Action.ACCEPT, {}, id="accepted"),
    pytest.param(Action.REJECT, {"reason": "不是隐患"}, id="rejected"),
    pytest.param(Action.REASSIGN, {"team": "ELEC"}, id="handed over"),
    pytest.param(Action.INVALID, {"reason": "误报"}, id="cancelled as invalid"),
]


@pytest.mark.parametrize(("action", "extra"), STEP_ENDS)
def test_nothing_is_sent_for_a_response_step_that_ended_before_its_reminder(
    uow: FakeUnitOfWork, clock: SimClock, action: Action, extra: dict[str, str]
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(17 * HOUR)
    actor = "SO1" if action is Action.INVALID else "TL-MECH"
    act(uow, clock, code, action, actor, **extra)
    assert reminded(wait(uow, clock, 2 * HOUR)) == []


def test_a_duplicate_is_reminded_no_more(uow: FakeUnitOfWork, clock: SimClock) -> None:
    original = report(uow, PLANT, clock).code
    code = report(uow, PLANT, clock).code
    clock.advance(17 * HOUR)
    act(uow, clock, code, Action.DUPLICATE, "SO1", duplicate_of=original)
    assert [e.code for e in wait(uow, clock, 2 * HOUR) if isinstance(e, TicketReminded)] == [
        original]


def test_the_new_team_is_reminded_on_its_own_clock_after_a_hand_over(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(17 * HOUR)
    act(uow, clock, code, Action.REASSIGN, "TL-MECH", team="ELEC")
    assert reminded(wait(uow, clock, 18 * HOUR - timedelta(seconds=1))) == []
    assert reminded(wait(uow, clock, timedelta(seconds=1))) == [(0, ("TL-ELEC",), False)]


def test_a_fix_done_before_its_reminder_is_reminded_no_more(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    act(uow, clock, code, Action.ACCEPT, "TL-MECH")
    act(uow, clock, code, Action.START, "TL-MECH")
    remind_at = stored(uow, code).remind_at
    assert remind_at is not None
    clock.set(remind_at - HOUR)
    act(uow, clock, code, Action.DONE, "TL-MECH", after_photo=PHOTO)
    assert stored(uow, code).remind_at is None
    assert reminded(wait(uow, clock, 10 * 24 * HOUR)) == []


def test_judging_a_report_valid_is_no_action_on_the_step_and_keeps_its_reminder(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(HOUR)
    act(uow, clock, code, Action.VALID, "SO1")
    assert stored(uow, code).remind_at == T0 + 18 * HOUR


def test_a_ticket_keeps_the_reminder_share_it_opened_under(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    halfway = replace(PLANT, reminders=ReminderSettings(at="50%"))
    code = report(uow, halfway, clock).code
    assert stored(uow, code).remind_at == T0 + 12 * HOUR
    # plant.yaml changes back to 75 %: the running ticket keeps its 50 %
    act(uow, clock, code, Action.ACCEPT, "TL-MECH", plant=PLANT)
    assert stored(uow, code).remind_at == T0 + 7 * 24 * HOUR / 2


# --- quiet hours (22:00-07:00 plant time; T0 is 09:00)

def test_a_general_reminder_due_at_night_waits_for_seven_in_the_morning(
    uow: FakeUnitOfWork
) -> None:
    clock = SimClock(T0 - HOUR)  # reported at 08:00: the reminder falls at 02:00
    code = report(uow, QUIET, clock).code
    assert reminded(wait(uow, clock, 18 * HOUR, QUIET)) == []
    assert stored(uow, code).remind_at == T0 + 22 * HOUR  # 07:00, an hour before it is due
    assert reminded(wait(uow, clock, 5 * HOUR - timedelta(seconds=1), QUIET)) == []
    assert reminded(wait(uow, clock, timedelta(seconds=1), QUIET)) == [(0, ("TL-MECH",), False)]
    assert reminded(wait(uow, clock, 3 * HOUR, QUIET)) == [], "sent once"


def test_a_general_reminder_by_day_is_not_held(uow: FakeUnitOfWork) -> None:
    clock = SimClock(T0 + 10 * HOUR)  # reported at 19:00: the reminder falls at 13:00
    report(uow, QUIET, clock)
    assert reminded(wait(uow, clock, 18 * HOUR, QUIET)) == [(0, ("TL-MECH",), False)]
    assert clock.now() == T0 + 28 * HOUR


@pytest.mark.parametrize("severity", [Severity.SERIOUS, Severity.CRITICAL])
def test_serious_and_critical_reminders_never_wait_for_the_morning(severity: Severity) -> None:
    uow, clock = FakeUnitOfWork(), SimClock(T0 + 13 * HOUR)  # reported at 22:00
    report(uow, QUIET, clock, urgency=severity)
    window = 4 * HOUR if severity is Severity.SERIOUS else 15 * HOUR // 60
    assert reminded(wait(uow, clock, window * 3 // 4, QUIET)) == [(0, ("TL-MECH",), False)]


def test_escalations_are_not_held_by_the_quiet_hours(uow: FakeUnitOfWork) -> None:
    clock = SimClock(T0 + 13 * HOUR)  # reported at 22:00, due at 22:00 the next day
    report(uow, QUIET, clock)
    assert climbed(wait(uow, clock, 24 * HOUR, QUIET)) == [(1, ("DH-EQUIP",))]


# --- the daily digest (08:00 plant time)

DIGEST = replace(PLANT, people=tuple(
    replace(p, digest=True) if p.id == "TL-MECH" else p for p in PLANT.people))


def test_a_digest_reader_gets_general_reminders_in_one_digest_at_eight(
    uow: FakeUnitOfWork
) -> None:
    clock = SimClock(T0 - 8 * HOUR)  # 01:00: reminders at 19:00 and 20:00
    first = report(uow, DIGEST, clock).code
    clock.advance(HOUR)
    second = report(uow, DIGEST, clock).code
    assert reminded(wait(uow, clock, 19 * HOUR, DIGEST)) == [(0, (), False), (0, (), False)]
    assert send_digests(uow=uow, plant=DIGEST, clock=clock) == [], "08:00 is tomorrow"
    clock.set(T0 + 23 * HOUR)  # 08:00 the next day
    [digest] = send_digests(uow=uow, plant=DIGEST, clock=clock)
    assert (digest.person, digest.day, digest.tickets) == ("TL-MECH", "2026-11-29",
                                                           (first, second))
    assert send_digests(uow=uow, plant=DIGEST, clock=clock) == [], "one a day"


def test_a_digest_leaves_out_a_step_that_ended_and_still_has_serious_reminders_sent(
    uow: FakeUnitOfWork
) -> None:
    clock = SimClock(T0 - 8 * HOUR)
    done = report(uow, DIGEST, clock).code
    report(uow, DIGEST, clock)
    serious = report(uow, DIGEST, clock, urgency=Severity.SERIOUS).code
    events = wait(uow, clock, 19 * HOUR, DIGEST)
    assert [(e.code, e.recipients) for e in events if isinstance(e, TicketReminded)
            and e.level == 0 and e.code == serious] == [(serious, ("TL-MECH",))]
    act(uow, clock, done, Action.ACCEPT, "TL-MECH", plant=DIGEST)
    clock.set(T0 + 23 * HOUR)
    [digest] = send_digests(uow=uow, plant=DIGEST, clock=clock)
    assert done not in digest.tickets and len(digest.tickets) == 1


def test_no_digest_is_due_while_nothing_was_gathered(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    assert next_digest_at(DIGEST, uow.reminders.oldest_gathered(), {}) is None
    clock.advance(24 * HOUR)
    assert send_digests(uow=uow, plant=DIGEST, clock=clock) == []
    assert uow.reminders.last_digests() == {}


def test_a_digest_missed_while_nobody_swept_goes_out_late_once_and_then_on_time(
    uow: FakeUnitOfWork
) -> None:
    clock = SimClock(T0 - 8 * HOUR)  # 01:00: the reminder at 19:00, the digest at 08:00
    report(uow, DIGEST, clock)
    wait(uow, clock, 19 * HOUR, DIGEST)
    assert next_digest_at(DIGEST, uow.reminders.oldest_gathered(),
                          uow.reminders.last_digests()) == T0 + 23 * HOUR
    clock.set(T0 + 30 * HOUR)  # 15:00 the next day: the process was down at 08:00
    assert len(send_digests(uow=uow, plant=DIGEST, clock=clock)) == 1
    assert send_digests(uow=uow, plant=DIGEST, clock=clock) == [], "one a day"
    report(uow, DIGEST, clock)  # reminded at 09:00 the day after, past that day's 08:00
    wait(uow, clock, 18 * HOUR, DIGEST)
    assert send_digests(uow=uow, plant=DIGEST, clock=clock) == []
    clock.set(T0 + 71 * HOUR)
    [digest] = send_digests(uow=uow, plant=DIGEST, clock=clock)
    assert digest.day == "2026-12-01"


def test_a_digest_reader_who_is_not_the_holder_gets_nothing_in_the_digest() -> None:
    plant = replace(PLANT, people=(*PLANT.people, Person("X", "外人", digest=True)))
    uow, clock = FakeUnitOfWork(), SimClock(T0)
    report(uow, plant, clock)
    wait(uow, clock, 23 * HOUR, plant)
    assert send_digests(uow=uow, plant=plant, clock=clock) == []


def test_a_step_nobody_holds_records_no_reminder_and_is_not_found_again(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    leaderless = replace(PLANT, teams=tuple(replace(t, lead=None) for t in PLANT.teams))
    code = report(uow, leaderless, clock).code
    assert reminded(wait(uow, clock, 20 * HOUR, leaderless)) == []
    assert stored(uow, code).remind_at is None


def test_an_overruled_rejection_starts_a_fresh_step_reminded_on_its_own_clock(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    clock.advance(17 * HOUR)
    act(uow, clock, code, Action.REJECT, "TL-MECH", reason="不归我们")
    assert stored(uow, code).remind_at is None
    clock.advance(HOUR // 2)
    act(uow, clock, code, Action.OVERRULE, "SO1", reason="属于电气", team="ELEC")
    assert reminded(wait(uow, clock, 18 * HOUR - timedelta(seconds=1))) == []
    assert reminded(wait(uow, clock, timedelta(seconds=1))) == [(0, ("TL-ELEC",), False)]


def test_a_reopened_fix_is_reminded_within_its_fresh_rectification_window(
    uow: FakeUnitOfWork, clock: SimClock
) -> None:
    code = report(uow, PLANT, clock).code
    for action in (Action.ACCEPT, Action.START):
        act(uow, clock, code, action, "TL-MECH")
    clock.advance(HOUR)
    act(uow, clock, code, Action.DONE, "TL-MECH", after_photo=PHOTO)
    clock.advance(HOUR)
    act(uow, clock, code, Action.REOPEN, "SO1", reason="防护罩未装牢")
    assert stored(uow, code).remind_at == T0 + 2 * HOUR + 7 * 24 * HOUR * 3 / 4

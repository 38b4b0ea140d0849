"""/incident: the safety manager records an injury, step by step, in their direct chat.

day → person (roster id or a name) → department → kind (first aid, recordable, lost time)
→ lost days (lost time only) → summary to submit or cancel. Anything else is answered with
the reason and the same question again; nothing is kept until the summary is submitted.

```mermaid
stateDiagram-v2
    [*] --> DAY
    DAY --> PERSON
    PERSON --> DEPARTMENT
    DEPARTMENT --> KIND
    KIND --> LOST_DAYS: lost time
    KIND --> CONFIRM: first aid, recordable
    LOST_DAYS --> CONFIRM
    CONFIRM --> [*]: submit or cancel
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any, Self

from core.dialog import END, STAY, EventKind, Flow, Incoming, Offered, Outcome, Record, Step
from core.injuries import MAX_LOST_DAYS, MAX_NAME, Injury, InjuryKind, InjuryRefused, may_record
from core.injury_services import record_injury
from core.major_hazards import today
from handlers.choices import choose, offer, refuse
from handlers.context import Turn
from handlers.flows import start_flow
from handlers.plan_inputs import parse_date, person_by_text
from handlers.ticket_actions import in_private


class Incident(Enum):
    DAY = "day"
    PERSON = "person"
    DEPARTMENT = "department"
    KIND = "kind"
    LOST_DAYS = "lost_days"
    CONFIRM = "confirm"


Next = Incident | Outcome


@dataclass(kw_only=True)
class IncidentDraft(Record):
    day: str | None = None  # ISO date
    person: str | None = None  # roster id, when on the roster
    name: str | None = None
    department: str | None = None
    kind: str | None = None
    lost_days: int = 0

    def to_data(self) -> dict[str, Any]:
        fields = {"day": self.day, "person": self.person, "name": self.name,
                  "department": self.department, "kind": self.kind}
        return {**super().to_data(), **{k: v for k, v in fields.items() if v is not None},
                "lost_days": self.lost_days}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None
        lost = data.get("lost_days")
        return cls(offered=Offered.from_data(data.get("offered")), day=text("day"),
                   person=text("person"), name=text("name"), department=text("department"),
                   kind=text("kind"), lost_days=lost if isinstance(lost, int) else 0)


def _draft(turn: Turn) -> IncidentDraft:
    return INCIDENT.record_of(turn)


def begin(turn: Turn) -> None:
    """`/incident`: only the safety manager; the questions go to their direct chat."""
    if not may_record(turn.plant, turn.person.id):
        turn.reply("incident.not_allowed")
        return
    start_flow(in_private(turn), INCIDENT)


def _typed(event: Incoming) -> str:
    return event.text.strip() if event.kind is EventKind.TEXT else ""


def _ask_day(turn: Turn) -> None:
    turn.reply("incident.ask_date", today=today(turn.plant, turn.services.clock.now()))


def _take_day(turn: Turn, event: Incoming) -> Next:
    now_day = today(turn.plant, turn.services.clock.now())
    typed = _typed(event)
    day = parse_date(typed, now_day)
    if day is None:
        turn.reply("incident.date_invalid", text=typed[:40] or "-")
        return STAY
    if day > now_day:
        turn.reply("incident.date_future", date=day.isoformat(), today=now_day.isoformat())
        return STAY
    _draft(turn).day = day.isoformat()
    return Incident.PERSON


def _ask_person(turn: Turn) -> None:
    turn.reply("incident.ask_person")


def _take_person(turn: Turn, event: Incoming) -> Next:
    typed = _typed(event)
    if not 1 <= len(typed) <= MAX_NAME:
        turn.reply("incident.person_invalid")
        return STAY
    draft = _draft(turn)
    found = person_by_text(turn.plant, typed)
    person = turn.plant.person(found) if found else None
    draft.person, draft.name = (person.id, person.name) if person else (None, typed)
    return Incident.DEPARTMENT


def _ask_department(turn: Turn) -> None:
    plant, draft = turn.plant, _draft(turn)
    choices = [(d.label(turn.lang), d.id) for d in plant.departments]
    offer(turn, "incident.ask_department", choices, name=draft.name or "-")


def _take_department(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice is None or choice not in turn.plant.departments_by_id:
        if event.kind is not EventKind.BUTTON or choice is not None:
            refuse(turn, "incident.department_invalid")
        return STAY
    _draft(turn).department = choice
    return Incident.KIND


def _ask_kind(turn: Turn) -> None:
    offer(turn, "incident.ask_kind", [(f"incident.kind.{k.value}", k.value) for k in InjuryKind])


def _take_kind(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice not in {k.value for k in InjuryKind}:
        if event.kind is not EventKind.BUTTON or choice is not None:
            refuse(turn, "incident.kind_invalid")
        return STAY
    draft = _draft(turn)
    draft.kind = choice
    if choice == InjuryKind.LOST_TIME.value:
        return Incident.LOST_DAYS
    draft.lost_days = 0
    return Incident.CONFIRM


def _ask_lost_days(turn: Turn) -> None:
    turn.reply("incident.ask_lost_days")


def _take_lost_days(turn: Turn, event: Incoming) -> Next:
    typed = _typed(event)
    if not (typed.isdecimal() and 1 <= int(typed) <= MAX_LOST_DAYS):
        turn.reply("incident.lost_days_invalid", text=typed[:40] or "-")
        return STAY
    _draft(turn).lost_days = int(typed)
    return Incident.CONFIRM


def _summary(turn: Turn, draft: IncidentDraft) -> dict[str, str]:
    department = turn.plant.departments_by_id.get(draft.department or "")
    return {"date": draft.day or "-", "name": draft.name or "-",
            "department": department.label(turn.lang) if department else "-",
            "kind": turn.text(f"incident.kind.{draft.kind}") if draft.kind else "-",
            "lost_days": str(draft.lost_days)}


def _ask_confirm(turn: Turn) -> None:
    offer(turn, "incident.summary", [("button.submit", "submit"), ("button.cancel", "cancel")],
          **_summary(turn, _draft(turn)))


# Where a refusal at submit sends the conversation back to (the plant may have changed).
_AGAIN = {"future": Incident.DAY, "name": Incident.PERSON, "department": Incident.DEPARTMENT,
          "lost_days": Incident.LOST_DAYS}


def _take_confirm(turn: Turn, event: Incoming) -> Next:
    choice = choose(turn, event)
    if choice == "cancel":
        turn.reply("incident.cancelled")
        return END
    if choice != "submit":
        if choice is not None:
            refuse(turn, "report.confirm_expected")
        return STAY
    draft = _draft(turn)
    if draft.day is None or draft.name is None or draft.department is None or not draft.kind:
        return Incident.DAY  # a record saved by another version lost an answer: ask again
    injury = Injury(
        day=date.fromisoformat(draft.day), name=draft.name, department=draft.department,
        kind=InjuryKind(draft.kind), lost_days=draft.lost_days, recorded_by=turn.person.id,
        recorded_at=turn.services.clock.now(), person=draft.person,
    )
    try:
        record_injury(injury, uow=turn.uow, plant=turn.plant, clock=turn.services.clock)
    except InjuryRefused as refused:
        if refused.reason == "not_allowed":
            turn.reply("incident.not_allowed")
            return END
        again = _AGAIN.get(refused.reason)
        if again is None:
            turn.reply("incident.refused", reason=refused.reason)
            return END
        return again
    shown = _summary(turn, draft)
    turn.reply("incident.saved", date=shown["date"], name=shown["name"], kind=shown["kind"])
    return END


INCIDENT: Flow[Incident, Turn, IncidentDraft] = Flow(
    name="incident",
    states=Incident,
    start=Incident.DAY,
    record=IncidentDraft,
    steps={
        Incident.DAY: Step(_ask_day, _take_day),
        Incident.PERSON: Step(_ask_person, _take_person),
        Incident.DEPARTMENT: Step(_ask_department, _take_department),
        Incident.KIND: Step(_ask_kind, _take_kind),
        Incident.LOST_DAYS: Step(_ask_lost_days, _take_lost_days),
        Incident.CONFIRM: Step(_ask_confirm, _take_confirm),
    },
    timeout=timedelta(hours=1),
)

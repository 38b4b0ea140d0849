"""Check-ins and checklist answers in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from core.inspections import Answer, CheckIn, ChecklistAnswer, Round
from storage.uow import SqlUnitOfWork

OPENS = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def a_round(engine: Engine, area: str = "WELD") -> int:
    with SqlUnitOfWork(engine) as uow:
        round_ = Round(plan="class", area=area, assignee="SO1", opens_at=OPENS,
                       closes_at=OPENS + timedelta(hours=9), checkpoints=("CP-WELD-1",))
        assert uow.rounds.add_if_absent(round_)
        uow.commit()
    assert round_.id is not None
    return round_.id


def checkin(round_id: int, minutes: int, **more: object) -> CheckIn:
    return CheckIn(round_id=round_id, checkpoint="CP-WELD-1", person="SO1",
                   at=OPENS + timedelta(minutes=minutes), lat=31.3191, lon=120.7199,
                   distance_m=12.5, **more)  # type: ignore[arg-type]


def test_a_check_in_is_kept_with_its_distance_accuracy_and_evidence(engine: Engine) -> None:
    round_id = a_round(engine)
    with SqlUnitOfWork(engine) as uow:
        made = uow.checkins.add(checkin(round_id, 70, accuracy_m=8.0, evidence='{"photo":"ab"}'))
        plain = uow.checkins.add(checkin(round_id, 65))
        uow.commit()
    assert made.id is not None and plain.id is not None and made.id != plain.id
    with SqlUnitOfWork(engine) as uow:
        assert uow.checkins.get(made.id) == made
        assert uow.checkins.get(made.id + 1000) is None
        # In the order they were made, whatever order they were stored in.
        assert uow.checkins.for_round(round_id) == [plain, made]
        assert uow.checkins.for_round(round_id + 1000) == []
    assert made.accuracy_m == 8.0 and made.evidence == '{"photo":"ab"}'
    assert plain.accuracy_m is None and plain.evidence == ""
    assert made.at == OPENS + timedelta(minutes=70)


def test_answers_link_the_check_in_the_risk_point_and_the_ticket(engine: Engine) -> None:
    round_id = a_round(engine)
    at = OPENS + timedelta(minutes=80)
    with SqlUnitOfWork(engine) as uow:
        made = uow.checkins.add(checkin(round_id, 70))
        assert made.id is not None
        answers = [
            ChecklistAnswer(made.id, "WELD-R1/M1", Answer.OK, risk_point="WELD-R1", at=at),
            ChecklistAnswer(made.id, "WELD-R3/M2", Answer.NOT_OK, risk_point="WELD-R3",
                            ticket="HZ-261130-0001", note="回火防止器缺失", at=at),
            ChecklistAnswer(made.id, "workshop/exits", Answer.NOT_APPLICABLE, at=at),
        ]
        for answer in answers:
            uow.checkins.answer(answer)
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        stored = uow.checkins.answers(made.id)
    assert stored == answers
    assert [a.at for a in stored] == [at, at, at]
    assert stored[1].ticket == "HZ-261130-0001" and stored[1].risk_point == "WELD-R3"


def test_answering_an_item_again_at_the_same_check_in_replaces_its_answer(engine: Engine) -> None:
    round_id = a_round(engine)
    with SqlUnitOfWork(engine) as uow:
        made = uow.checkins.add(checkin(round_id, 70))
        assert made.id is not None
        uow.checkins.answer(ChecklistAnswer(made.id, "workshop/exits", Answer.OK))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        uow.checkins.answer(ChecklistAnswer(made.id, "workshop/exits", Answer.NOT_OK,
                                            ticket="HZ-261130-0002"))
        uow.commit()
    with SqlUnitOfWork(engine) as uow:
        assert uow.checkins.answers(made.id) == [
            ChecklistAnswer(made.id, "workshop/exits", Answer.NOT_OK, ticket="HZ-261130-0002")]


def test_a_check_in_must_belong_to_a_round(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow, pytest.raises(IntegrityError):
        uow.checkins.add(checkin(4242, 70))  # no such round (SQLite enforces keys too)

"""Check-ins and their checklist answers in SQL, mapped to and from core/inspections.py."""

from __future__ import annotations

from sqlmodel import Session, col, select

from core.inspections import Answer, CheckIn, ChecklistAnswer
from storage.tables import CheckInRow, ChecklistAnswerRow

_CHECKIN = ("round_id", "checkpoint", "person", "at", "lat", "lon", "distance_m", "accuracy_m",
            "evidence")
_ANSWER = ("checkin_id", "item", "risk_point", "ticket", "note", "at")


def to_checkin(row: CheckInRow) -> CheckIn:
    return CheckIn(**{name: getattr(row, name) for name in _CHECKIN}, id=row.id)


def to_answer(row: ChecklistAnswerRow) -> ChecklistAnswer:
    return ChecklistAnswer(**{name: getattr(row, name) for name in _ANSWER},
                           answer=Answer(row.answer))


class SqlCheckInRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, checkin: CheckIn) -> CheckIn:
        row = CheckInRow(**{name: getattr(checkin, name) for name in _CHECKIN})
        self.session.add(row)
        self.session.flush()  # the id, for the answers that follow in this transaction
        return to_checkin(row)

    def get(self, checkin_id: int) -> CheckIn | None:
        row = self.session.get(CheckInRow, checkin_id)
        return to_checkin(row) if row else None

    def for_round(self, round_id: int) -> list[CheckIn]:
        query = (select(CheckInRow).where(CheckInRow.round_id == round_id)
                 .order_by(col(CheckInRow.at), col(CheckInRow.id)))
        return [to_checkin(row) for row in self.session.exec(query)]

    def answer(self, answer: ChecklistAnswer) -> None:
        """Store an item's answer; answering it again at the same check-in replaces it."""
        query = select(ChecklistAnswerRow).where(
            ChecklistAnswerRow.checkin_id == answer.checkin_id,
            ChecklistAnswerRow.item == answer.item)
        row = self.session.exec(query).first() or ChecklistAnswerRow(
            checkin_id=answer.checkin_id, item=answer.item, answer=answer.answer.value)
        for name in _ANSWER:
            setattr(row, name, getattr(answer, name))
        row.answer = answer.answer.value
        self.session.add(row)

    def answers(self, checkin_id: int) -> list[ChecklistAnswer]:
        query = (select(ChecklistAnswerRow).where(ChecklistAnswerRow.checkin_id == checkin_id)
                 .order_by(col(ChecklistAnswerRow.id)))
        return [to_answer(row) for row in self.session.exec(query)]

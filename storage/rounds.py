"""Inspection rounds in SQL, mapped to and from core/inspections.py's `Round`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import union
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from core.inspections import Round, RoundState
from storage.policies import policy_from_json, policy_json
from storage.tables import RoundAnnouncementRow, RoundDayRow, RoundRow

_PLAIN = ("plan", "area", "assignee", "opens_at", "closes_at", "escalation_level", "due_at",
          "remind_at", "finished_at")
# The longest window of a round: a span of the plant's day, which may run past midnight.
_LONGEST = timedelta(days=1)


def _values(round_: Round) -> dict[str, Any]:
    return {name: getattr(round_, name) for name in _PLAIN} | {
        "checkpoints": list(round_.checkpoints), "state": round_.state.value,
        "policy": policy_json(round_.policy) if round_.policy else None,
    }


def to_round(row: RoundRow) -> Round:
    return Round(
        **{name: getattr(row, name) for name in _PLAIN},
        checkpoints=tuple(row.checkpoints), state=RoundState(row.state),
        policy=policy_from_json(row.policy) if row.policy else None, id=row.id,
    )


class SqlRoundRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def _insert(self) -> Any:
        return postgresql.insert if self._postgres else sqlite.insert

    def add_if_absent(self, round_: Round) -> bool:
        # One INSERT that does nothing on the unique (plan, area, opens_at): on PostgreSQL a
        # second process inserting the same round waits for the first to commit, then adds
        # nothing, so neither sees an error and the round exists once.
        table = RoundRow.__table__  # type: ignore[attr-defined]
        statement = (
            self._insert()(table).values(**_values(round_))
            .on_conflict_do_nothing(index_elements=["plan", "area", "opens_at"])
            .returning(table.c.id)
        )
        added = self.session.execute(statement).first()
        if added is None:
            return False
        round_.id = added[0]
        return True

    def get(self, round_id: int) -> Round | None:
        query = select(RoundRow).where(RoundRow.id == round_id)
        if self._postgres:
            query = query.with_for_update()
        row = self.session.exec(query).first()
        return to_round(row) if row else None

    def save(self, round_: Round) -> None:
        row = self.session.get(RoundRow, round_.id)
        if row is None:
            raise LookupError(f"no round {round_.id}")
        for name, value in _values(round_).items():
            setattr(row, name, value)
        self.session.add(row)

    def for_person(self, person: str, since: datetime, until: datetime) -> list[Round]:
        # A window is shorter than a day, so what overlaps [since, until) opened after
        # since - 1 day: a range on (assignee, opens_at) rather than a scan of closes_at.
        query = (
            select(RoundRow)
            .where(RoundRow.assignee == person, col(RoundRow.opens_at) > since - _LONGEST,
                   col(RoundRow.opens_at) < until, col(RoundRow.closes_at) > since)
            .order_by(col(RoundRow.opens_at), col(RoundRow.id))
        )
        return [to_round(row) for row in self.session.exec(query)]

    def between(self, since: datetime, until: datetime) -> list[Round]:
        query = (
            select(RoundRow)
            .where(col(RoundRow.opens_at) >= since, col(RoundRow.opens_at) < until)
            .order_by(col(RoundRow.opens_at), col(RoundRow.id))
        )
        return [to_round(row) for row in self.session.exec(query)]

    def due(self, now: datetime, limit: int = 100) -> list[Round]:
        # Two ranges, each on its own index, united: an OR over the two columns would
        # have the planner read every open round. A round that is no longer open has
        # neither time set, so the state is only checked on the rows found.
        ids = union(
            select(RoundRow.id).where(col(RoundRow.due_at) <= now),
            select(RoundRow.id).where(col(RoundRow.remind_at) <= now),
        ).subquery()
        query = (
            select(RoundRow)
            .where(col(RoundRow.id).in_(select(ids.c.id)),
                   RoundRow.state == RoundState.OPEN.value)
            .order_by(col(RoundRow.id)).limit(limit)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        return [to_round(row) for row in self.session.exec(query)]

    def next_due_at(self) -> datetime | None:
        # The first of each index in order, not min() over both columns.
        firsts = [
            self.session.exec(
                select(column).where(column.is_not(None), RoundRow.state == RoundState.OPEN.value)
                .order_by(column).limit(1)
            ).first()
            for column in (col(RoundRow.due_at), col(RoundRow.remind_at))
        ]
        return min((at for at in firsts if at is not None), default=None)

    def generated(self, day: date) -> str | None:
        row = self.session.get(RoundDayRow, day)
        return row.fingerprint if row else None

    def mark_generated(self, day: date, fingerprint: str, at: datetime) -> None:
        table = RoundDayRow.__table__  # type: ignore[attr-defined]
        statement = self._insert()(table).values(day=day, fingerprint=fingerprint,
                                                 generated_at=at)
        statement = statement.on_conflict_do_update(
            index_elements=["day"], set_={"fingerprint": fingerprint, "generated_at": at})
        self.session.execute(statement)

    def claim_announcement(self, person: str, day: date, at: datetime) -> bool:
        table = RoundAnnouncementRow.__table__  # type: ignore[attr-defined]
        statement = (
            self._insert()(table).values(person=person, day=day, sent_at=at)
            .on_conflict_do_nothing().returning(table.c.person)
        )
        return self.session.execute(statement).first() is not None

    def announced(self, day: date) -> set[str]:
        query = select(RoundAnnouncementRow.person).where(RoundAnnouncementRow.day == day)
        return set(self.session.exec(query))

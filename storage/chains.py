"""Chains in SQL: a row per chain, a row per step, mapped to and from core/chains.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.chains import ACTIVE, Chain, ChainStep, StepState
from core.plant import Role
from storage.policies import policy_from_json, policy_json
from storage.tables import ChainRow, ChainStepRow, TicketRow

_STEP_PLAIN = ("key", "department", "team", "holder", "level", "due_at", "opened_at",
               "confirmed_at", "promised_at", "done_at", "note", "photo", "handed_by", "name",
               "name_en")
_CHAIN_PLAIN = ("ticket", "rule", "name", "name_en", "opened_at", "completed_at",
                "cancelled_at", "closed_at", "close_days")


def _step_values(step: ChainStep, position: int) -> dict[str, Any]:
    return {name: getattr(step, name) for name in _STEP_PLAIN} | {
        "position": position, "role": step.role.value, "state": step.state.value,
        "after": list(step.after), "policy": policy_json(step.policy),
    }


def _to_step(row: ChainStepRow) -> ChainStep:
    return ChainStep(
        **{name: getattr(row, name) for name in _STEP_PLAIN},
        role=Role(row.role), state=StepState(row.state), after=tuple(row.after),
        policy=policy_from_json(row.policy), id=row.id,
    )


class SqlChainRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._postgres = session.get_bind().dialect.name == "postgresql"

    def add(self, chain: Chain) -> None:
        row = ChainRow(**{name: getattr(chain, name) for name in _CHAIN_PLAIN})
        self.session.add(row)
        self.session.flush()
        chain.id = row.id
        assert row.id is not None
        for position, step in enumerate(chain.steps):
            step_row = ChainStepRow(chain_id=row.id, **_step_values(step, position))
            self.session.add(step_row)
            self.session.flush()
            step.id = step_row.id

    def get(self, ticket: str) -> Chain | None:
        query = select(ChainRow).where(ChainRow.ticket == ticket.strip().upper())
        row = self.session.exec(query).first()
        return self._chain(row) if row else None

    def by_step(self, step_id: int) -> Chain | None:
        step = self.session.get(ChainStepRow, step_id)
        row = self.session.get(ChainRow, step.chain_id) if step else None
        return self._chain(row) if row else None

    def save(self, chain: Chain) -> None:
        row = self.session.get(ChainRow, chain.id)
        if row is None:
            raise LookupError(chain.ticket)
        for name in _CHAIN_PLAIN:
            setattr(row, name, getattr(chain, name))
        self.session.add(row)
        for position, step in enumerate(chain.steps):
            step_row = self.session.get(ChainStepRow, step.id)
            if step_row is None or step_row.chain_id != chain.id:
                raise LookupError(f"{chain.ticket} step {step.key}")
            for name, value in _step_values(step, position).items():
                setattr(step_row, name, value)
            self.session.add(step_row)

    def running(self, limit: int = 100) -> list[Chain]:
        query = (
            select(ChainRow)
            .where(col(ChainRow.completed_at).is_(None), col(ChainRow.cancelled_at).is_(None))
            .order_by(col(ChainRow.opened_at), col(ChainRow.id)).limit(limit)
        )
        return [self._chain(row) for row in self.session.exec(query)]

    def due(self, now: datetime, limit: int = 100) -> list[Chain]:
        # The steps' index on due_at finds the few due among many; the ticket is locked, as
        # every writer of a chain locks it first, and the chain is read afresh after.
        due_chains = (
            select(ChainStepRow.chain_id)
            .where(col(ChainStepRow.due_at) <= now)
            .where(col(ChainStepRow.state).in_([s.value for s in ACTIVE]))
        )
        query = (
            select(ChainRow.ticket).join(TicketRow, col(TicketRow.code) == col(ChainRow.ticket))
            .where(col(ChainRow.id).in_(due_chains))
            .order_by(col(ChainRow.id)).limit(limit)
        )
        if self._postgres:
            query = query.with_for_update(skip_locked=True, of=TicketRow)
        tickets = list(self.session.exec(query))
        return [chain for ticket in tickets if (chain := self.get(ticket)) is not None]

    def next_due_at(self) -> datetime | None:
        query = select(func.min(ChainStepRow.due_at)).where(
            col(ChainStepRow.state).in_([s.value for s in ACTIVE])
        )
        return self.session.exec(query).one()

    def _chain(self, row: ChainRow) -> Chain:
        steps = self.session.exec(
            select(ChainStepRow).where(ChainStepRow.chain_id == row.id)
            .order_by(col(ChainStepRow.position))
        )
        return Chain(**{name: getattr(row, name) for name in _CHAIN_PLAIN},
                     steps=[_to_step(step) for step in steps], id=row.id)

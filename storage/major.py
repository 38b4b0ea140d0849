"""Major hazards in SQL: remediation plans, and the graded tickets a register lists."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, col, select

from core.major_hazards import RemediationPlan
from core.tickets import Ticket
from storage.tables import RemediationPlanRow, TicketRow
from storage.tickets import to_ticket

_FEN = Decimal(100)


def to_plan(row: RemediationPlanRow) -> RemediationPlan:
    return RemediationPlan(
        code=row.code, responsible=row.responsible, measures=row.measures,
        funds=Decimal(row.funds_fen) / _FEN, deadline=row.deadline,
        emergency_plan=row.emergency_plan, entered_by=row.entered_by,
        entered_at=row.entered_at,
    )


def to_row(plan: RemediationPlan) -> RemediationPlanRow:
    # The conversation takes two decimals at most; rounding here only guards the column.
    fen = int((plan.funds * _FEN).to_integral_value())
    return RemediationPlanRow(
        code=plan.code, responsible=plan.responsible, measures=plan.measures, funds_fen=fen,
        deadline=plan.deadline, emergency_plan=plan.emergency_plan,
        entered_by=plan.entered_by, entered_at=plan.entered_at,
    )


class SqlMajorRegister:
    def __init__(self, session: Session) -> None:
        self.session = session

    def plan(self, code: str) -> RemediationPlan | None:
        row = self.session.get(RemediationPlanRow, code.strip().upper())
        return to_plan(row) if row else None

    def save_plan(self, plan: RemediationPlan) -> None:
        # merge: the row by its primary key, updated in place when the ticket had a plan
        self.session.merge(to_row(plan))

    def graded(self) -> list[tuple[Ticket, RemediationPlan | None]]:
        query = (
            select(TicketRow, RemediationPlanRow)
            .join(RemediationPlanRow, col(RemediationPlanRow.code) == col(TicketRow.code),
                  isouter=True)
            .where(col(TicketRow.major_at).is_not(None))
            .order_by(col(TicketRow.major_at), col(TicketRow.id))
        )
        return [(to_ticket(ticket), to_plan(plan) if plan else None)
                for ticket, plan in self.session.exec(query)]

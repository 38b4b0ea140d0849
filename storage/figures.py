"""The monthly report's figures (core/figures.py), counted by the database in three queries.

The roster — who belongs to which department — lives in plant.yaml, not in a table: it goes
into the query as a `WITH roster(person, department) AS (VALUES …)` list and is joined
there, so the database does the grouping and Python only reads the totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, String, case, column, distinct, func, values
from sqlmodel import Session, col, select

from core.figures import DepartmentMonth, Month, MonthFigures, PersonMonth
from core.tickets import Validity
from storage.tables import TicketRow


class SqlReportFigures:
    def __init__(self, session: Session) -> None:
        self.session = session

    def monthly(self, month: Month, roster: Mapping[str, str], headcount: int) -> MonthFigures:
        in_month = (col(TicketRow.created_at) >= month.start,
                    col(TicketRow.created_at) < month.end)
        valid = col(TicketRow.validity) == Validity.VALID.value
        reports = func.count()
        people = (
            select(col(TicketRow.reporter), reports, func.sum(case((valid, 1), else_=0)))
            .where(*in_month).group_by(col(TicketRow.reporter))
            .order_by(reports.desc(), col(TicketRow.reporter))
        )
        active = func.count(distinct(case((valid, col(TicketRow.reporter)))))
        totals = select(func.count(), active).where(*in_month)
        total, active_reporters = self.session.exec(totals).one()
        return MonthFigures(
            month=month,
            people=tuple(PersonMonth(person, count, int(valid_count or 0))
                         for person, count, valid_count in self.session.exec(people)),
            reports=total, active_reporters=active_reporters, headcount=headcount,
            departments=self._departments(roster, in_month, valid),
        )

    def _departments(
        self, roster: Mapping[str, str], in_month: tuple[ColumnElement[bool], ...],
        valid: ColumnElement[bool],
    ) -> tuple[DepartmentMonth, ...]:
        """Per department: its people on the roster, and those of them active in the month."""
        if not roster:
            return ()  # VALUES cannot be empty; no one on the roster, no department counted
        people: Any = values(column("person", String), column("department", String),
                             name="roster").data(sorted(roster.items())).cte("roster")
        active = (select(col(TicketRow.reporter).label("reporter")).distinct()
                  .where(*in_month, valid).subquery("active"))
        query = (
            select(people.c.department, func.count(people.c.person),
                   func.count(active.c.reporter))
            .select_from(people)
            .outerjoin(active, active.c.reporter == people.c.person)
            .group_by(people.c.department).order_by(people.c.department)
        )
        return tuple(DepartmentMonth(department, headcount, active_count)
                     for department, headcount, active_count in self.session.exec(query))

"""Rows of the two usage files: equipment run periods (运行记录) and hours worked (工时).

Run periods tell the trend warnings how long a machine had run before a hazard; hours worked
per department and month are the denominators of the injury rates. Pure checks, as in
core/ticket_rows.py; overlaps with stored periods are the import's to find.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from core.imports import Column, Problem, named_id, parse_month, parse_time, problem
from core.plant import Named, Plant

RUN_EQUIPMENT = Column("equipment", ("设备编号", "设备"))
RUN_START = Column("start", ("开始时间", "开机时间"))
RUN_END = Column("end", ("结束时间", "停机时间"))
RUNLOG_COLUMNS = (RUN_EQUIPMENT, RUN_START, RUN_END)

HOURS_DEPARTMENT = Column("department", ("部门",))
HOURS_MONTH = Column("month", ("月份",))
HOURS_HOURS = Column("hours", ("工时",))
HOURS_COLUMNS = (HOURS_DEPARTMENT, HOURS_MONTH, HOURS_HOURS)


@dataclass(frozen=True)
class RunPeriod:
    """A machine ran without stopping from `start` to `end` (end excluded)."""

    equipment: str
    start: datetime
    end: datetime

    def overlaps(self, other: RunPeriod) -> bool:
        return (self.equipment == other.equipment
                and self.start < other.end and other.start < self.end)


@dataclass(frozen=True)
class MonthHours:
    """Hours worked by a department in a month (`month` is its first day)."""

    department: str
    month: date
    hours: float


def check_run_period(cells: dict[str, str], plant: Plant, zone: tzinfo,
                     now: datetime) -> RunPeriod | list[Problem]:
    found: list[Problem] = []
    code = cells.get(RUN_EQUIPMENT.name, "")
    kit = plant.equipment_by_code.get(code.upper())
    if not code:
        found.append(problem("import.reason.empty", column=RUN_EQUIPMENT.shown))
    elif kit is None:
        found.append(problem("import.reason.unknown_equipment", value=code))
    start = _instant(cells, RUN_START, zone, now, found)
    end = _instant(cells, RUN_END, zone, now, found)
    if start and end and end <= start:
        found.append(problem("import.reason.reversed", start=cells[RUN_START.name],
                             end=cells[RUN_END.name]))
    if found or kit is None or start is None or end is None:
        return found
    return RunPeriod(kit.code, start, end)


def check_month_hours(cells: dict[str, str], plant: Plant) -> MonthHours | list[Problem]:
    found: list[Problem] = []
    department = _department(plant.departments, cells.get(HOURS_DEPARTMENT.name, ""), found)
    month: date | None = None
    if text := cells.get(HOURS_MONTH.name, ""):
        try:
            month = parse_month(text)
        except ValueError:
            found.append(problem("import.reason.bad_month", value=text))
    else:
        found.append(problem("import.reason.empty", column=HOURS_MONTH.shown))
    hours = _hours(cells.get(HOURS_HOURS.name, ""), found)
    if found or department is None or month is None or hours is None:
        return found
    return MonthHours(department, month, hours)


def _instant(cells: dict[str, str], column: Column, zone: tzinfo, now: datetime,
             found: list[Problem]) -> datetime | None:
    text = cells.get(column.name, "")
    if not text:
        found.append(problem("import.reason.empty", column=column.shown))
        return None
    try:
        instant = parse_time(text, zone)
    except ValueError:
        found.append(problem("import.reason.bad_time", column=column.shown, value=text))
        return None
    if instant > now:
        found.append(problem("import.reason.future_time", column=column.shown, value=text))
    return instant


def _department(departments: tuple[Named, ...], text: str, found: list[Problem]) -> str | None:
    if not text:
        found.append(problem("import.reason.empty", column=HOURS_DEPARTMENT.shown))
        return None
    if (found_id := named_id(departments, text)) is None:
        found.append(problem("import.reason.unknown_department", value=text,
                             known=", ".join(d.id for d in departments)))
    return found_id


def _hours(text: str, found: list[Problem]) -> float | None:
    if not text:
        found.append(problem("import.reason.empty", column=HOURS_HOURS.shown))
        return None
    try:
        hours = float(text.replace(",", ""))  # 12,480 as a spreadsheet formats thousands
    except ValueError:
        hours = math.nan
    if not math.isfinite(hours) or hours < 0:
        found.append(problem("import.reason.bad_hours", value=text))
        return None
    return hours

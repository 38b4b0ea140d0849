"""A row of a historical hazard ledger (隐患台账), checked and turned into a ticket.

Pure: the plant, the plant's zone and the present instant come in; a `LedgerTicket` or
every reason the row fails comes out. What the database must say (already imported? the
code taken?) is asked later, by core/import_services.py.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from core import escalation
from core.imports import Column, Problem, lookup, named_id, parse_time, problem, words
from core.plant import Named, Plant, Severity
from core.routing import route
from core.tickets import Status, Ticket, Validity

CODE = Column("code", ("编号",), required=False)
REPORTED_AT = Column("reported_at", ("上报时间",))
REPORTER = Column("reporter", ("上报人",))
AREA = Column("area", ("区域",))
EQUIPMENT = Column("equipment", ("设备编号",), required=False)
CATEGORY = Column("category", ("隐患类别",))
SEVERITY = Column("severity", ("隐患等级",))
TEAM = Column("team", ("责任班组",), required=False)
ACKNOWLEDGED_AT = Column("acknowledged_at", ("接收时间",), required=False)
RESOLVED_AT = Column("resolved_at", ("整改完成时间",), required=False)
CLOSED_AT = Column("closed_at", ("验收关闭时间",), required=False)
STATUS = Column("status", ("状态",), required=False)
DESCRIPTION = Column("description", ("隐患描述",))
VALID = Column("valid", ("是否有效",), required=False)

TICKET_COLUMNS = (CODE, REPORTED_AT, REPORTER, AREA, EQUIPMENT, CATEGORY, SEVERITY, TEAM,
                  ACKNOWLEDGED_AT, RESOLVED_AT, CLOSED_AT, STATUS, DESCRIPTION, VALID)
# The clocks in the order they run: each not before the one before it.
CLOCKS = (REPORTED_AT, ACKNOWLEDGED_AT, RESOLVED_AT, CLOSED_AT)

SEVERITIES = words({
    **{s.value: s.value for s in Severity},
    "一般": Severity.GENERAL, "严重": Severity.SERIOUS, "重大": Severity.CRITICAL,
    "紧急": Severity.CRITICAL,  # the label our own ledger export prints
})
STATUSES = words({
    **{s.value: s.value for s in Status}, "in progress": Status.IN_PROGRESS,
    "已上报": Status.REPORTED, "待接收": Status.REPORTED, "已接收": Status.ACKNOWLEDGED,
    "处理中": Status.IN_PROGRESS, "整改中": Status.IN_PROGRESS, "已完成": Status.RESOLVED,
    "已整改": Status.RESOLVED, "已关闭": Status.CLOSED, "已验收": Status.CLOSED,
    "已驳回": Status.REJECTED,
})
YES, NO = "yes", "no"
VALIDS = words({"yes": YES, "y": YES, "true": YES, "1": YES, "是": YES, "有效": YES,
                "no": NO, "n": NO, "false": NO, "0": NO, "否": NO, "无效": NO})
# "No equipment" as a ledger writes it.
_NONE = {"", "-", "/", "无", "none", "n/a"}
# The clock each status needs, and the later clocks it cannot have.
_NEEDS: dict[Status, tuple[Column | None, tuple[Column, ...]]] = {
    Status.REPORTED: (None, (ACKNOWLEDGED_AT, RESOLVED_AT, CLOSED_AT)),
    Status.ACKNOWLEDGED: (ACKNOWLEDGED_AT, (RESOLVED_AT, CLOSED_AT)),
    Status.IN_PROGRESS: (ACKNOWLEDGED_AT, (RESOLVED_AT, CLOSED_AT)),
    Status.RESOLVED: (RESOLVED_AT, (CLOSED_AT,)),
    Status.CLOSED: (CLOSED_AT, ()),
    Status.REJECTED: (None, ()),
}
HZ_CODE = re.compile(r"HZ-\d{6}-\d{4,5}")
# What the ticket's columns hold (a name kept as the reporter fits the id column).
LONGEST = ((CODE, 64), (REPORTER, 64), (DESCRIPTION, 4000))


@dataclass(frozen=True)
class LedgerTicket:
    """A checked row: ids resolved, times as instants, the status and validity settled."""

    row: int
    key: str  # unique per ticket: the code given, else a hash of what identifies the row
    source_code: str | None  # the code the file gives, if any
    reported_at: datetime
    reporter: str  # a person id, or the name of someone no longer on the roster
    reporter_known: bool
    area: str
    category: str
    severity: Severity
    team: str
    equipment: str | None
    description: str
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    status: Status
    validity: Validity

    @property
    def own_code(self) -> str | None:
        """The file's code when it is one of ours (`HZ-261128-0001`): the ticket keeps it."""
        code = (self.source_code or "").upper()
        return code if HZ_CODE.fullmatch(code) and int(code[10:]) > 0 else None


def check_ticket(number: int, cells: dict[str, str], plant: Plant, zone: tzinfo,
                 now: datetime) -> LedgerTicket | list[Problem]:
    """The row as a ticket to import, or every reason it cannot be one."""
    found: list[Problem] = []
    for column in (REPORTED_AT, REPORTER, AREA, CATEGORY, SEVERITY, DESCRIPTION):
        if not cells.get(column.name):
            found.append(problem("import.reason.empty", column=column.shown))
    for column, most in LONGEST:
        if len(cells.get(column.name, "")) > most:
            found.append(problem("import.reason.too_long", column=column.shown, most=most))
    times = _times(cells, zone, now, found)
    reporter, known = _reporter(plant, cells.get(REPORTER.name, ""), found)
    area = _named(plant.areas, cells.get(AREA.name, ""), "import.reason.unknown_area", found)
    category = _named(plant.categories, cells.get(CATEGORY.name, ""),
                      "import.reason.unknown_category", found)
    team = _named(plant.teams, cells.get(TEAM.name, ""), "import.reason.unknown_team", found)
    equipment = _equipment(plant, cells.get(EQUIPMENT.name, ""), found)
    severity = _word(SEVERITIES, cells.get(SEVERITY.name, ""), "import.reason.bad_severity", found)
    status, validity = _status(cells, times, found)
    reported_at = times[REPORTED_AT.name]
    if found:
        return found
    # Without a problem, every required cell was there and understood.
    assert reported_at and area and category and severity and status and validity
    return LedgerTicket(
        row=number, key=_key(cells.get(CODE.name, ""), reported_at, reporter, area, category,
                             equipment, cells[DESCRIPTION.name]),
        source_code=cells.get(CODE.name) or None, reported_at=reported_at, reporter=reporter,
        reporter_known=known, area=area, category=category, severity=Severity(severity),
        team=team or route(plant, category=category, area=area, equipment=equipment),
        equipment=equipment, description=cells[DESCRIPTION.name],
        acknowledged_at=times[ACKNOWLEDGED_AT.name], resolved_at=times[RESOLVED_AT.name],
        closed_at=times[CLOSED_AT.name], status=status, validity=validity,
    )


def as_ticket(entry: LedgerTicket, code: str, plant: Plant, now: datetime) -> Ticket:
    """The ticket an imported row becomes. Its policy is the plant's today; a finished one
    keeps the deadlines it had from its report, an open one starts its clocks now (at the
    import), so history never escalates at the first sweep."""
    rejected_at = None
    if entry.status is Status.REJECTED:
        given = [t for t in (entry.acknowledged_at, entry.resolved_at, entry.closed_at) if t]
        rejected_at = max(given, default=entry.reported_at)
    ticket = Ticket(
        code=code, reporter=entry.reporter, area=entry.area, category=entry.category,
        severity=entry.severity, urgency=entry.severity, description=entry.description,
        team=entry.team, created_at=entry.reported_at, equipment=entry.equipment,
        status=entry.status, validity=entry.validity, acknowledged_at=entry.acknowledged_at,
        resolved_at=entry.resolved_at, closed_at=entry.closed_at, rejected_at=rejected_at,
    )
    escalation.open_clocks(plant, ticket, now if ticket.is_open else entry.reported_at)
    return ticket


def _times(cells: dict[str, str], zone: tzinfo, now: datetime,
           found: list[Problem]) -> dict[str, datetime | None]:
    times: dict[str, datetime | None] = {}
    last: tuple[Column, datetime] | None = None
    for column in CLOCKS:
        text = cells.get(column.name, "")
        times[column.name] = None
        if not text:
            continue
        try:
            instant = parse_time(text, zone)
        except ValueError:
            found.append(problem("import.reason.bad_time", column=column.shown, value=text))
            continue
        if instant > now:
            found.append(problem("import.reason.future_time", column=column.shown, value=text))
        if last is not None and instant < last[1]:
            found.append(problem("import.reason.out_of_order", column=column.shown,
                                 before=last[0].shown))
        times[column.name], last = instant, (column, instant)
    return times


def _status(cells: dict[str, str], times: dict[str, datetime | None],
            found: list[Problem]) -> tuple[Status | None, Validity | None]:
    """The status as given (checked against the times) or as the times say; the validity."""
    valid = _word(VALIDS, cells.get(VALID.name, ""), "import.reason.bad_valid", found)
    written = cells.get(STATUS.name, "")
    given = _word(STATUSES, written, "import.reason.bad_status", found)
    if given is None and written:
        return None, None
    if given is None:
        given = Status.REJECTED if valid == NO else _by_times(times)
    status = Status(given)
    shown = written or status.value
    need, forbidden = _NEEDS[status]
    if need is not None and not cells.get(need.name):  # a bad time was reported already
        found.append(problem("import.reason.status_needs", status=shown, column=need.shown))
    for column in forbidden:
        if times[column.name] is not None:
            found.append(problem("import.reason.status_contradicts", status=shown,
                                 column=column.shown))
    if valid == NO and status is not Status.REJECTED:
        found.append(problem("import.reason.invalid_not_rejected", status=shown))
    if valid == YES and status is Status.REJECTED:
        found.append(problem("import.reason.rejected_but_valid", status=shown))
    validity = Validity.INVALID if status is Status.REJECTED else Validity.VALID
    return status, validity


def _by_times(times: dict[str, datetime | None]) -> Status:
    for column, status in ((CLOSED_AT, Status.CLOSED), (RESOLVED_AT, Status.RESOLVED),
                           (ACKNOWLEDGED_AT, Status.ACKNOWLEDGED)):
        if times[column.name] is not None:
            return status
    return Status.REPORTED


def _reporter(plant: Plant, text: str, found: list[Problem]) -> tuple[str, bool]:
    """A person id by id or name; someone no longer on the roster is kept by name."""
    if not text:
        return "", False
    wanted = text.casefold()
    if person := next((p for p in plant.people if p.id.casefold() == wanted), None):
        return person.id, True
    named = [p.id for p in plant.people if p.name.casefold() == wanted]
    if len(named) > 1:
        found.append(problem("import.reason.ambiguous_reporter", value=text,
                             ids=", ".join(named)))
    return (named[0], True) if len(named) == 1 else (text, False)


def _named(items: Iterable[Named], text: str, reason: str, found: list[Problem]) -> str | None:
    if not text:
        return None
    items = tuple(items)
    if (found_id := named_id(items, text)) is None:
        found.append(problem(reason, value=text, known=", ".join(item.id for item in items)))
    return found_id


def _equipment(plant: Plant, text: str, found: list[Problem]) -> str | None:
    if text.casefold() in _NONE:
        return None
    kit = plant.equipment_by_code.get(text.upper())
    if kit is None:
        found.append(problem("import.reason.unknown_equipment", value=text))
        return None
    return kit.code


def _word(choices: dict[str, str], text: str, reason: str, found: list[Problem]) -> str | None:
    if not text:
        return None
    value = lookup(choices, text)
    if value is None:
        found.append(problem(reason, value=text))
    return value


def _key(code: str, reported_at: datetime, reporter: str, area: str, category: str,
         equipment: str | None, description: str) -> str:
    """The code if the file gives one; else a hash of what tells this report from others, so
    the same row imported twice is found, whatever its position or its status then."""
    if code:
        return f"code:{code.strip().upper()}"
    identity = [reported_at.timestamp(), reporter, area, category, equipment or "",
                " ".join(description.split())]
    digest = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode()).hexdigest()
    return f"row:{digest}"

"""The hazard ledger (隐患台账) as a workbook laid out for printing: tickets, then their trail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from core.audit import AuditEntry
from core.plant import Named, Plant
from core.tickets import Ticket
from reports.audit_trail import Say, person_label, trail_line
from reports.ticket_export import JoinedBy

Cell = str | int | Decimal | datetime | None  # a Decimal is money, shown with two decimals

_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_MONEY_FORMAT = "#,##0.00"
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="808080")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_NEW_TICKET = Border(left=_THIN, right=_THIN, top=Side(style="medium"), bottom=_THIN)


@dataclass(frozen=True)
class Heading:
    """A printed column: its catalog heading `export.col.<key>`, its width in characters."""

    key: str
    width: float
    wrap: bool = False


TicketColumn = tuple[Heading, Callable[[Ticket], Cell]]
_TRAIL_HEADINGS = (
    Heading("code", 16), Heading("at", 17), Heading("actor", 18), Heading("action", 20),
    Heading("details", 70, wrap=True),
)


def ledger_workbook(
    plant: Plant, tickets: Sequence[Ticket], trail: Iterable[AuditEntry], *,
    exported_at: datetime, say: Say, joined_by: JoinedBy | None = None,
) -> Workbook:
    """Sheet one lists the tickets, sheet two each ticket's audit entries in order;
    `joined_by`: who joined each ticket (`DuplicateIndex.followers_by_ticket`)."""
    stamp = export_stamp(plant, exported_at)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = say("export.sheet.tickets")
    columns = ticket_columns(plant, say, joined_by or {})
    write_table(sheet, say("export.title", count=len(tickets), **stamp), say,
           [heading for heading, _ in columns],
           [[cell(ticket) for _, cell in columns] for ticket in tickets])
    trail_sheet = book.create_sheet(say("export.sheet.trail"))
    rows, firsts = _trail_rows(plant, tickets, trail, say)
    write_table(trail_sheet, say("export.trail_title", **stamp), say, _TRAIL_HEADINGS, rows)
    for row in firsts:
        # `sheet[row]` measures the sheet's width on every call, scanning every cell.
        cells = trail_sheet.iter_rows(min_row=row, max_row=row, max_col=len(_TRAIL_HEADINGS))
        for cell in next(cells):
            cell.border = _NEW_TICKET
    return book


def export_stamp(plant: Plant, exported_at: datetime) -> dict[str, str]:
    """What a sheet's title states: the plant, the local time of the export and its zone."""
    local = exported_at.astimezone(ZoneInfo(plant.timezone))
    return dict(plant=plant.name, time=local.strftime("%Y-%m-%d %H:%M"),
                zone=f"{plant.timezone} UTC{local.isoformat()[-6:]}")


def wall_time(plant: Plant, instant: datetime | None) -> datetime | None:
    """Excel keeps no zone: a cell holds plant-local wall time; the title names the zone."""
    return instant.astimezone(ZoneInfo(plant.timezone)).replace(tzinfo=None) if instant else None


def ticket_columns(plant: Plant, say: Say, joined_by: JoinedBy) -> list[TicketColumn]:
    lang = plant.language

    def at(instant: datetime | None) -> datetime | None:
        return wall_time(plant, instant)

    def name(items: Mapping[str, Named], key: str) -> str:
        return items[key].label(lang) if key in items else key

    def reason(t: Ticket) -> str | None:
        return say("export.duplicate_of", code=t.duplicate_of) if t.duplicate_of else t.reason

    def joined(t: Ticket) -> str | None:
        people = joined_by.get(t.code, ())
        return say("list.joiner").join(person_label(plant, p) for p in people) or None

    return [
        (Heading("code", 16), lambda t: t.code),
        (Heading("status", 9), lambda t: say(f"status.{t.status}")),
        (Heading("severity", 8), lambda t: say(f"severity.{t.severity}")),
        (Heading("urgency", 8), lambda t: say(f"severity.{t.urgency}")),
        (Heading("category", 14, True), lambda t: name(plant.categories_by_id, t.category)),
        (Heading("area", 14, True), lambda t: name(plant.areas_by_id, t.area)),
        (Heading("equipment", 10), lambda t: t.equipment or say("equipment.none")),
        (Heading("description", 40, True), lambda t: t.description),
        (Heading("reporter", 14, True), lambda t: person_label(plant, t.reporter)),
        (Heading("joined_by", 14, True), joined),
        (Heading("team", 14, True), lambda t: name(plant.teams_by_id, t.team)),
        (Heading("validity", 8), lambda t: say(f"validity.{t.validity}")),
        (Heading("points", 6), lambda t: t.points),
        (Heading("escalation_level", 8), lambda t: t.escalation_level),
        (Heading("photos", 6), lambda t: len(t.photos)),
        (Heading("created_at", 16), lambda t: at(t.created_at)),
        (Heading("due_at", 16), lambda t: at(t.due_at)),
        (Heading("acknowledged_at", 16), lambda t: at(t.acknowledged_at)),
        (Heading("resolved_at", 16), lambda t: at(t.resolved_at)),
        (Heading("finished_at", 16), lambda t: at(t.closed_at or t.rejected_at)),
        (Heading("reason", 24, True), reason),
    ]


def _trail_rows(
    plant: Plant, tickets: Sequence[Ticket], trail: Iterable[AuditEntry], say: Say,
) -> tuple[list[list[Cell]], list[int]]:
    """Rows per ticket in ticket order, entries in log order; the sheet rows that start one."""
    by_subject: dict[str, list[AuditEntry]] = defaultdict(list)
    for entry in trail:
        by_subject[entry.subject].append(entry)
    rows: list[list[Cell]] = []
    firsts: list[int] = []
    for ticket in tickets:
        entries = sorted(by_subject.get(ticket.code, []), key=lambda e: e.seq)
        if entries:
            firsts.append(_FIRST_DATA_ROW + len(rows))
        for entry in entries:
            line = trail_line(plant, entry, say)
            rows.append([ticket.code, line.at.replace(tzinfo=None), line.actor, line.action,
                         line.details])
    return rows, firsts


_TITLE_ROW, _HEADER_ROW, _FIRST_DATA_ROW = 1, 2, 3


def write_table(
    sheet: Worksheet, title: str, say: Say, columns: Sequence[Heading],
    rows: Sequence[Sequence[Cell]],
) -> None:
    """Title, bold header and grid, set up to print on A4 landscape, one page wide."""
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A{_TITLE_ROW}:{last}{_TITLE_ROW}")
    sheet.cell(_TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    sheet.row_dimensions[_TITLE_ROW].height = 24
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        header = sheet.cell(_HEADER_ROW, index, say(f"export.col.{column.key}"))
        header.font, header.fill, header.border = Font(bold=True), _HEADER_FILL, _GRID
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for offset, values in enumerate(rows):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(_FIRST_DATA_ROW + offset, index, value)
            cell.border = _GRID
            cell.alignment = Alignment(vertical="top", wrap_text=column.wrap)
            if isinstance(value, datetime):
                cell.number_format = _TIME_FORMAT
            elif isinstance(value, Decimal):
                cell.number_format = _MONEY_FORMAT
    sheet.freeze_panes = f"B{_FIRST_DATA_ROW}"  # the header and the codes stay in view
    sheet.print_title_rows = f"{_TITLE_ROW}:{_HEADER_ROW}"
    if rows:
        sheet.auto_filter.ref = f"A{_HEADER_ROW}:{last}{_FIRST_DATA_ROW + len(rows) - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True
    footer = sheet.oddFooter
    if footer is not None:  # openpyxl always makes one; its stubs say it may not
        footer.center.text = say("export.page")

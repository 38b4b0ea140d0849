"""Reads a roster spreadsheet (XLSX or CSV, English or Chinese headers) into person updates."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.imports import HEADER_SEARCH_ROWS
from core.plant import Named, Plant, Role
from storage.roster import FieldValue, PersonUpdate
from storage.spreadsheet import SpreadsheetError, read_rows

# Header cells, compared without spaces, "_" or "-" and ignoring case.
HEADERS = {
    "id": ("id", "工号", "员工编号", "编号"),
    "name": ("name", "姓名"),
    "department": ("department", "dept", "部门"),
    "team": ("team", "班组"),
    "roles": ("roles", "role", "角色"),
    "superior": ("superior", "上级", "直属上级"),
    "phone": ("phone", "mobile", "手机", "手机号", "手机号码", "电话"),
    "email": ("email", "mail", "邮箱", "电子邮箱"),
    "wecom_id": ("wecomid", "wecom", "企业微信", "企业微信id", "企业微信账号"),
    "telegram_id": ("telegramid", "telegram"),
}
_COLUMN = {alias.casefold(): name for name, aliases in HEADERS.items() for alias in aliases}
# The account columns, and the channel each fills in a person's accounts.
ACCOUNT_COLUMNS = {"wecom_id": "wecom", "telegram_id": "telegram"}
ROLE_ALIASES = {
    "员工": Role.WORKER, "安全员": Role.SAFETY_OFFICER, "班组长": Role.TEAM_LEAD,
    "部门负责人": Role.DEPARTMENT_HEAD, "安全经理": Role.SAFETY_MANAGER, "厂长": Role.PLANT_MANAGER,
    "管理员": Role.ADMIN,
    "法务审核": Role.LEGAL_REVIEWER, "承包商": Role.CONTRACTOR,
}
_ROLE_SPLIT = re.compile(r"[,，、;；/\s]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")
_INTERNATIONAL = re.compile(r"\+[1-9]\d{6,14}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WECOM_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_\-@.]{0,63}")
# The file cannot be read as a roster at all (wrong type, encoding, no header).
RosterFileError = SpreadsheetError


@dataclass
class Roster:
    """The updates a file asks for, and every row problem as `row N: what is wrong`."""

    updates: list[PersonUpdate] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def normalize_phone(raw: str) -> str | None:
    """A mobile as 11 digits (+86 dropped), a landline as digits, or None when it is neither."""
    text = re.sub(r"[\s\-()（）]", "", raw)
    for prefix in ("+86", "0086"):
        if _MOBILE.fullmatch(text.removeprefix(prefix)):
            return text.removeprefix(prefix)
    if _LANDLINE.fullmatch(text) or _INTERNATIONAL.fullmatch(text):
        return text
    return None


def read_roster(path: Path, plant: Plant) -> Roster:
    """Every row of the file checked against the plant; problems name the spreadsheet row."""
    rows = read_rows(path)
    header_at, columns = _header(rows)
    roster = Roster(ignored_columns=[h for h in columns if h and _column(h) is None])
    index = {name: i for i, h in enumerate(columns) if (name := _column(h))}
    body = [(number, cells) for number, cells in rows[header_at + 1:] if any(cells)]
    if not body:
        raise RosterFileError(f"{path.name}: no rows under the header row")
    records = [
        (number, {name: cells[i] if i < len(cells) else "" for name, i in index.items()})
        for number, cells in body
    ]
    _RowChecker(plant, records, roster).check_all()
    return roster


def _column(header: str) -> str | None:
    return _COLUMN.get(re.sub(r"[\s_\-]", "", header).casefold())


def _header(rows: list[tuple[int, list[str]]]) -> tuple[int, list[str]]:
    for at, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [n for n in (_column(c) for c in cells if c) if n]
        if "id" in names:
            if len(set(names)) != len(names):
                raise RosterFileError(f"row {_number}: a column appears twice in the header")
            return at, cells
    raise RosterFileError(
        "no header row with an id column (id or 工号) in the first rows; expected columns: "
        + ", ".join(HEADERS)
    )


class _RowChecker:
    """Turns checked rows into updates; any problem is recorded with its row number."""

    def __init__(
        self, plant: Plant, records: Sequence[tuple[int, dict[str, str]]], roster: Roster
    ) -> None:
        self.plant, self.records, self.roster = plant, records, roster
        self.ids = set(plant.people_by_id) | {r.get("id", "") for _, r in records}
        self.first_row: dict[str, int] = {}
        self.accounts: dict[tuple[str, str], str] = {}
        for person in plant.people:
            for column, channel in ACCOUNT_COLUMNS.items():
                if account := person.accounts.get(channel):
                    self.accounts[column, account.casefold()] = person.id

    def check_all(self) -> None:
        for number, record in self.records:
            problems: list[str] = []
            update = self.check(record, problems)
            if problems:
                self.roster.problems.append(f"row {number}: " + "; ".join(problems))
            elif update is not None:
                self.roster.updates.append(update)
            if record.get("id"):
                self.first_row.setdefault(record["id"], number)

    def check(self, record: dict[str, str], problems: list[str]) -> PersonUpdate | None:
        person_id = record.get("id", "")
        if not person_id:
            problems.append("no id")
            return None
        if person_id in self.first_row:
            problems.append(f"id {person_id!r} is already on row {self.first_row[person_id]}")
        values: dict[str, FieldValue] = {}
        if record.get("name"):
            values["name"] = record["name"]
        elif person_id not in self.plant.people_by_id:
            problems.append("no name (a new person needs one)")
        self._place(record, values, problems)
        self._roles(record.get("roles", ""), values, problems)
        superior = record.get("superior", "")
        if superior and (superior not in self.ids or superior == person_id):
            problems.append(f"superior {superior!r} is not another person in plant.yaml or here")
        elif superior:
            values["superior"] = superior
        self._contact(person_id, record, values, problems)
        return PersonUpdate(person_id, values)

    def _place(self, record: dict[str, str], values: dict[str, FieldValue],
               problems: list[str]) -> None:
        department = _find(self.plant.departments, record.get("department", ""))
        team = _find(self.plant.teams, record.get("team", ""))
        if record.get("department") and department is None:
            known = ", ".join(d.id for d in self.plant.departments)
            problems.append(f"unknown department {record['department']!r} (known: {known})")
        if record.get("team") and team is None:
            known = ", ".join(t.id for t in self.plant.teams)
            problems.append(f"unknown team {record['team']!r} (known: {known})")
        team_department = self.plant.teams_by_id[team].department if team else None
        if department and team_department and department != team_department:
            problems.append(f"team {team} belongs to department {team_department}, "
                            f"not {department}")
        if department or team_department:
            values["department"] = department or team_department or ""
        if team:
            values["team"] = team

    def _roles(self, text: str, values: dict[str, FieldValue], problems: list[str]) -> None:
        roles: list[str] = []
        for word in (w for w in _ROLE_SPLIT.split(text) if w):
            role = ROLE_ALIASES.get(word) or _role(word)
            if role is None:
                problems.append(f"unknown role {word!r} (roles: {', '.join(Role)})")
            elif role.value not in roles:
                roles.append(role.value)
        if roles:
            values["roles"] = tuple(roles)

    def _contact(self, person_id: str, record: dict[str, str], values: dict[str, FieldValue],
                 problems: list[str]) -> None:
        if phone := record.get("phone", ""):
            normal = normalize_phone(phone)
            if normal is None:
                problems.append(f"bad phone {phone!r} (a mobile like 13800000001)")
            else:
                values["phone"] = normal
        if email := record.get("email", ""):
            if _EMAIL.fullmatch(email):
                values["email"] = email
            else:
                problems.append(f"bad email {email!r}")
        if wecom := record.get("wecom_id", ""):
            if not _WECOM_ID.fullmatch(wecom):
                problems.append(f"bad WeCom id {wecom!r} (letters, digits, _-@.)")
            elif self._owned("wecom_id", wecom.casefold(), person_id, problems):
                values["wecom_id"] = wecom
        if telegram := record.get("telegram_id", ""):
            if not re.fullmatch(r"\d{1,15}", telegram):
                problems.append(f"bad Telegram id {telegram!r} (a number)")
            elif self._owned("telegram_id", telegram, person_id, problems):
                values["telegram_id"] = int(telegram)

    def _owned(self, kind: str, account: str, person_id: str, problems: list[str]) -> bool:
        owner = self.accounts.setdefault((kind, account), person_id)
        if owner != person_id:
            problems.append(f"{kind} {account} already belongs to {owner}")
        return owner == person_id


def _role(word: str) -> Role | None:
    try:
        return Role(word.casefold().replace("-", "_"))
    except ValueError:
        return None


def _find(items: Iterable[Named], text: str) -> str | None:
    """The id of the item whose id, name or English name is `text` (case ignored)."""
    if not text:
        return None
    wanted = text.casefold()
    for item in items:
        if wanted in (item.id.casefold(), item.name.casefold(), item.name_en.casefold()):
            return item.id
    return None

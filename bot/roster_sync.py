"""`safetyloop wecom sync-roster`: WeCom's departments and members proposed as plant.yaml people."""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from bot.channels.wecom import CHANNEL, USER_ID, make_api
from bot.channels.wecom.api import WecomApi, WecomApiError, WecomError
from bot.plantfile import read_plant
from bot.roster import Ask, propose
from bot.settings import Settings
from core.plant import Named, Plant
from storage.plantfile import PlantFileError
from storage.roster import FieldValue, PersonUpdate
from storage.roster_file import normalize_phone

# Member status: 1 active, 2 disabled, 4 not yet activated, 5 left the company.
GONE = {2: "disabled", 5: "has left"}
# The app may not read contacts outside its visible range, or at all.
NO_PRIVILEGE = {48002, 60011}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class WecomRoster:
    """What WeCom holds: departments by id, and each member once."""

    departments: Mapping[int, Mapping[str, Any]]
    members: Sequence[Mapping[str, Any]]


@dataclass
class RosterPlan:
    updates: list[PersonUpdate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


async def fetch(api: WecomApi) -> WecomRoster:
    """Every visible department, then the members directly in each (a member in two
    departments is listed by both; kept once)."""
    departments = {int(d["id"]): d for d in await api.department_list() if "id" in d}
    members: dict[str, Mapping[str, Any]] = {}
    for department_id in departments:
        for member in await api.user_list(department_id):
            if member.get("userid"):
                members.setdefault(str(member["userid"]).casefold(), member)
    return WecomRoster(departments, list(members.values()))


def plan_roster(plant: Plant, roster: WecomRoster) -> RosterPlan:
    """One update per active member: known wecom_id (or phone) keeps its person id."""
    plan = RosterPlan()
    active = [m for m in roster.members if int(m.get("status") or 1) not in GONE]
    ids = _person_ids(plant, active)
    leaders_known = _by_userid(plant) | ids
    places = _Places(plant, roster.departments)
    for member in active:
        userid = str(member["userid"])
        values: dict[str, FieldValue] = {USER_ID.key: userid}
        if member.get("name"):
            values["name"] = str(member["name"])
        department, team = places.of(member)
        values.update({k: v for k, v in (("department", department), ("team", team)) if v})
        if phone := normalize_phone(str(member.get("mobile") or "")):
            values["phone"] = phone
        if _EMAIL.fullmatch(email := str(member.get("email") or "")):
            values["email"] = email
        leaders = [str(x).casefold() for x in member.get("direct_leader") or []]
        superior = leaders_known.get(leaders[0]) if leaders else None
        if superior and superior != ids[userid.casefold()]:
            values["superior"] = superior
        plan.updates.append(PersonUpdate(ids[userid.casefold()], values, f"WeCom {userid}"))
    plan.notes += places.notes()
    plan.notes += _gone_notes(plant, roster.members)
    if active and not any(m.get("mobile") or m.get("email") for m in active):
        plan.notes.append("WeCom sent no mobile numbers or e-mails (apps created since June "
                          "2022 do not receive them): phone and email are left as they are")
    return plan


def _person_ids(plant: Plant, members: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """userid (case-folded) -> person id: by wecom_id, else by phone, else derived."""
    by_wecom = _by_userid(plant)
    by_phone = {p.phone: p.id for p in plant.people if p.phone and not p.accounts.get(CHANNEL)}
    taken = set(plant.people_by_id)
    ids: dict[str, str] = {}
    for member in members:
        userid = str(member["userid"])
        phone = normalize_phone(str(member.get("mobile") or ""))
        known = by_wecom.get(userid.casefold()) or (by_phone.pop(phone, None) if phone else None)
        ids[userid.casefold()] = known or _new_id(userid, taken)
        taken.add(ids[userid.casefold()])
    return ids


def _by_userid(plant: Plant) -> dict[str, str]:
    """WeCom UserID (case-folded) -> person id, for the people plant.yaml gives one."""
    return {
        userid.casefold(): p.id for p in plant.people if (userid := p.accounts.get(CHANNEL))
    }


def _new_id(userid: str, taken: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_-]+", "-", userid).strip("-").upper() or "WECOM"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class _Places:
    """A member's department and team: the WeCom department's name (or its parent's, up the
    tree) matched against the plant's team and department names."""

    def __init__(self, plant: Plant, departments: Mapping[int, Mapping[str, Any]]) -> None:
        self.plant, self.departments = plant, departments
        self.unmapped: dict[int, list[str]] = {}

    def of(self, member: Mapping[str, Any]) -> tuple[str | None, str | None]:
        listed = [int(d) for d in member.get("department") or []]
        start = int(member.get("main_department") or (listed[0] if listed else 0))
        seen: set[int] = set()
        current = start
        while current in self.departments and current not in seen:
            seen.add(current)
            wecom = self.departments[current]
            team = _match(self.plant.teams, wecom)
            if team is not None:
                return self.plant.teams_by_id[team].department, team
            department = _match(self.plant.departments, wecom)
            if department is not None:
                return department, None
            current = int(wecom.get("parentid") or 0)
        self.unmapped.setdefault(start, []).append(str(member["userid"]))
        return None, None

    def notes(self) -> list[str]:
        return [
            f"WeCom department {self._name(d)} matches no department or team name in "
            f"plant.yaml; added without a department: {', '.join(users)}"
            for d, users in self.unmapped.items()
        ]

    def _name(self, department_id: int) -> str:
        name = self.departments.get(department_id, {}).get("name")
        return f"{name} (id {department_id})" if name else f"id {department_id}"


def _match(items: Iterable[Named], wecom: Mapping[str, Any]) -> str | None:
    names = {str(wecom.get(k) or "").strip().casefold() for k in ("name", "name_en")} - {""}
    for item in items:
        if {item.name.casefold(), item.name_en.casefold()} & names:
            return item.id
    return None


def _gone_notes(plant: Plant, members: Iterable[Mapping[str, Any]]) -> list[str]:
    by_wecom = _by_userid(plant)
    gone = [m for m in members if int(m.get("status") or 1) in GONE]
    notes = [
        f"{by_wecom[key]} ({m['userid']}) {GONE[int(m['status'])]} in WeCom: left in plant.yaml; "
        "remove them by hand if they should go"
        for m in gone if (key := str(m["userid"]).casefold()) in by_wecom
    ]
    strangers = [str(m["userid"]) for m in gone if str(m["userid"]).casefold() not in by_wecom]
    if strangers:
        notes.append("not added, disabled or gone in WeCom: " + ", ".join(strangers))
    return notes


def sync_roster(
    settings: Settings, *, yes: bool, ask: Ask | None,
    out: TextIO | None = None, err: TextIO | None = None,
) -> int:
    """Read WeCom's contacts and propose them as a merge into plant.yaml."""
    out, err = out or sys.stdout, err or sys.stderr
    if not (settings.wecom_corp_id and settings.wecom_agent_id and settings.wecom_secret):
        print("set WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET in .env first", file=err)
        return 2
    try:
        plant = read_plant(settings.plant_file)
        roster = asyncio.run(_read(settings))
    except PlantFileError as exc:
        print("\n".join([*exc.messages(), "fix plant.yaml first; nothing written"]), file=err)
        return 1
    except WecomError as exc:
        hint = ""
        if isinstance(exc, WecomApiError) and exc.errcode in NO_PRIVILEGE:
            hint = ("\nthe app may read only the members in its visible range (可见范围): "
                    "set it in the WeCom admin console under the app")
        print(f"could not read the WeCom contacts: {exc}{hint}\nnothing written", file=err)
        return 1
    plan = plan_roster(plant, roster)
    print(f"WeCom: {len(roster.departments)} departments, {len(roster.members)} members",
          file=out)
    for note in plan.notes:
        print(note, file=out)
    return propose(settings.plant_file, plan.updates, yes=yes, ask=ask, source="WeCom",
                   out=out, err=err)


async def _read(settings: Settings) -> WecomRoster:
    async with make_api(settings) as api:
        return await fetch(api)

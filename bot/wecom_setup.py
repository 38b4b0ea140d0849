"""`safetyloop wecom setup`: the teams' group chats (and their plant.yaml lines), the menu."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from bot.channels.wecom import CHANNEL, GROUP_CHAT_ID, USER_ID
from bot.channels.wecom.api import WecomApi, WecomApiError, WecomError
from core.plant import Plant, Team
from handlers.i18n import t

_CHAT_ID = re.compile(r"[0-9A-Za-z]{1,32}")
CHAT_KEY, USER_KEY = GROUP_CHAT_ID.key, USER_ID.key
# Menu keys are the commands they run (see bot/channels/wecom/inbound.py).
TOP_LEVEL = ("report", "my")
UNDER_MORE = ("points", "rank", "shop", "help")


def menu(lang: str) -> dict[str, Any]:
    """The app's menu: report and my reports up front, the rest under "more"."""
    def click(key: str) -> dict[str, str]:
        return {"type": "click", "name": t(lang, f"wecom.menu.{key}"), "key": key}

    return {"button": [
        *(click(key) for key in TOP_LEVEL),
        {"name": t(lang, "wecom.menu.more"), "sub_button": [click(key) for key in UNDER_MORE]},
    ]}


def team_members(plant: Plant, team: Team) -> list[str]:
    """WeCom user ids of the lead, the team and its department head, lead first."""
    people = [plant.person(team.lead)] if team.lead else []
    people += [p for p in plant.people if p.team == team.id]
    department = plant.departments_by_id.get(team.department or "")
    if department and department.head:
        people.append(plant.person(department.head))
    ids: list[str] = []
    for person in people:
        userid = person.accounts.get(CHANNEL) if person else None
        if userid and userid not in ids:
            ids.append(userid)
    return ids


def chat_id_for(plant: Plant, team: Team) -> tuple[str, bool]:
    """(the team's group id, whether plant.yaml names it); a missing one is derived from the
    team's id, so a second run finds the group the first one made instead of making another."""
    if named := team.chats.get(CHANNEL):
        return named, True
    base = re.sub(r"[^0-9A-Za-z]", "", team.id)
    taken = {other.chats.get(CHANNEL) for other in plant.teams if other.id != team.id}
    chat_id = f"wr{base}"
    if base != team.id or len(chat_id) > 32 or chat_id in taken:
        chat_id = f"wr{base[:22]}{hashlib.sha256(team.id.encode()).hexdigest()[:8]}"
    return chat_id, False


def paste_line(team: Team, chat_id: str, *, configured: bool) -> str:
    """The plant.yaml line that makes the group the team's, for the operator to paste."""
    where = f"under team {team.id} in plant.yaml"
    if configured:
        return f"  {where} (already there): {CHAT_KEY}: {chat_id}"
    return f"  paste {where}: {CHAT_KEY}: {chat_id}"


async def create_group(api: WecomApi, plant: Plant, team: Team) -> list[str]:
    """Create one team's group chat unless it exists; returns lines for the operator."""
    chat_id, configured = chat_id_for(plant, team)
    if not _CHAT_ID.fullmatch(chat_id):
        return [f"{team.id}: {CHAT_KEY} {chat_id!r} must be 1-32 letters or digits"]
    members = team_members(plant, team)
    if len(members) < 2:
        return [f"{team.id}: a WeCom group needs at least 2 people with a {USER_KEY}"]
    if await _exists(api, chat_id):
        done = f"{team.id}: group {chat_id} exists"
    else:
        await api.appchat_create(team.label(plant.language), members[0], members, chat_id)
        done = f"{team.id}: created group {chat_id} with {', '.join(members)}"
    return [done, paste_line(team, chat_id, configured=configured)]


async def _exists(api: WecomApi, chat_id: str) -> bool:
    try:
        await api.appchat_get(chat_id)
    except WecomApiError:  # not created yet, or not by this app
        return False
    return True


async def setup(api: WecomApi, plant: Plant) -> tuple[list[str], bool]:
    """Every team's group, then the menu; (report lines, all went well)."""
    lines, ok = [], True
    for team in plant.teams:
        try:
            lines += await create_group(api, plant, team)
        except WecomError as exc:
            chat_id, _ = chat_id_for(plant, team)
            lines.append(f"{team.id}: could not create group {chat_id}: {exc}")
            ok = False
    try:
        await api.create_menu(menu(plant.language))
        lines.append("app menu set: " + ", ".join((*TOP_LEVEL, *UNDER_MORE)))
    except WecomError as exc:
        lines.append(f"could not set the app menu: {exc}")
        ok = False
    return lines, ok

"""`safetyloop wecom setup`: the teams' group chats from plant.yaml, and the app's menu."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from bot.channels.wecom_api import WecomApi, WecomApiError, WecomError
from core.plant import Plant, Team
from handlers.i18n import t

_CHAT_ID = re.compile(r"[0-9A-Za-z]{1,32}")
# Menu keys are the commands they run (see bot/channels/wecom_inbound.py).
TOP_LEVEL = ("report", "my")
UNDER_MORE = ("points", "rank", "help")


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
        if person and person.wecom_id and person.wecom_id not in ids:
            ids.append(person.wecom_id)
    return ids


async def create_group(api: WecomApi, plant: Plant, team: Team) -> str:
    """Create one team's group chat unless it exists; returns a line for the operator."""
    chat_id = team.wecom_chat_id
    if not chat_id:
        return f"{team.id}: no wecom_chat_id in plant.yaml, skipped"
    if not _CHAT_ID.fullmatch(chat_id):
        return f"{team.id}: wecom_chat_id {chat_id!r} must be 1-32 letters or digits"
    members = team_members(plant, team)
    if len(members) < 2:
        return f"{team.id}: a WeCom group needs at least 2 people with a wecom_id"
    with contextlib.suppress(WecomApiError):  # not created yet, or not by this app
        await api.appchat_get(chat_id)
        return f"{team.id}: group {chat_id} exists"
    await api.appchat_create(team.label(plant.language), members[0], members, chat_id)
    return f"{team.id}: created group {chat_id} with {', '.join(members)}"


async def setup(api: WecomApi, plant: Plant) -> tuple[list[str], bool]:
    """Every team's group, then the menu; (report lines, all went well)."""
    lines, ok = [], True
    for team in plant.teams:
        try:
            lines.append(await create_group(api, plant, team))
        except WecomError as exc:
            lines.append(f"{team.id}: could not create group {team.wecom_chat_id}: {exc}")
            ok = False
    try:
        await api.create_menu(menu(plant.language))
        lines.append("app menu set: " + ", ".join((*TOP_LEVEL, *UNDER_MORE)))
    except WecomError as exc:
        lines.append(f"could not set the app menu: {exc}")
        ok = False
    return lines, ok

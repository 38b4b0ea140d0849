"""`/chatid` in a group: the group's id and the plant.yaml line that makes it a team's group."""

from __future__ import annotations

from core.plant import Role
from handlers.context import Turn


def chatid(turn: Turn) -> None:
    """Admins get the id without reading raw getUpdates; others are refused, DMs explained."""
    event = turn.event
    # The channel names the key (see its PLANT_KEYS); a channel without team groups has none.
    key = turn.services.team_chat_key(event.channel)
    if not event.is_group or key is None:
        turn.reply("chatid.in_dm")
        return
    if not turn.person.has(Role.ADMIN):
        turn.reply("chatid.admins_only")
        return
    team = next((t for t in turn.plant.teams if t.chats.get(event.channel) == event.chat), None)
    # the line break lives here: PO tools reject a translation that starts with one its key lacks
    known = (
        "\n" + turn.text("chatid.known", team=team.label(turn.lang), team_id=team.id)
        if team else ""
    )
    turn.reply("chatid.group", chat_id=event.chat, line=f"{key}: {event.chat}", known=known)

"""`/chatid` in a group: the group's id and the plant.yaml line that makes it a team's group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.plant import Role, Team
from handlers.context import Turn


@dataclass(frozen=True)
class GroupField:
    """Where a channel's group id goes under a team in plant.yaml, and how its address reads."""

    key: str
    address_prefix: str = ""

    def value(self, address: str) -> str:
        return address.removeprefix(self.address_prefix)

    def line(self, address: str) -> str:
        return f"{self.key}: {self.value(address)}"

    def owner(self, teams: Sequence[Team], address: str) -> Team | None:
        """The team whose plant.yaml entry already names this group."""
        wanted = self.value(address)
        return next((team for team in teams if str(getattr(team, self.key)) == wanted), None)


# The one place that knows each channel's team field; WeCom addresses groups as "group:<chatid>".
GROUP_FIELDS: dict[str, GroupField] = {
    "telegram": GroupField("telegram_chat_id"),
    "wecom": GroupField("wecom_chat_id", address_prefix="group:"),
}


def chatid(turn: Turn) -> None:
    """Admins get the id without reading raw getUpdates; others are refused, DMs explained."""
    event = turn.event
    field = GROUP_FIELDS.get(event.channel)
    if not event.is_group or field is None:
        turn.reply("chatid.in_dm")
        return
    if not turn.person.has(Role.ADMIN):
        turn.reply("chatid.admins_only")
        return
    team = field.owner(turn.plant.teams, event.chat)
    # the line break lives here: PO tools reject a translation that starts with one its key lacks
    known = (
        "\n" + turn.text("chatid.known", team=team.label(turn.lang), team_id=team.id)
        if team else ""
    )
    turn.reply("chatid.group", chat_id=field.value(event.chat), line=field.line(event.chat),
               known=known)

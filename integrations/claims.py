"""Which of a host bot's updates are SafetyLoop's: its commands, its buttons, its conversations.

A host bot keeps everything else. The decision reads the raw Bot API update (a dict), so
the aiogram and the python-telegram-bot mounts decide alike:

- a command SafetyLoop serves (`commands`), addressed to no bot or to this one; `/start`
  with SafetyLoop's own payload (`report`, `checkin`, or an invite token) in a direct chat;
  in a direct chat where a SafetyLoop conversation is running, any SafetyLoop command;
- a button press whose data SafetyLoop made (`is_safetyloop_button`);
- in a direct chat, any message while a SafetyLoop conversation is running for its sender,
  while an earlier update of the chat is still queued for SafetyLoop (a photo sent right
  after `/report`, before the report has started), or a person's own phone number shared
  with the button SafetyLoop showed.

Group chatter, other bots' commands, the host's own commands and buttons stay with the host.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from bot.inlet import Inbound
from core import buttons

JSON = dict[str, Any]

# Every command SafetyLoop answers (the handlers' commands and flow starters, and /cancel).
ALL_COMMANDS = frozenset({
    "report", "my", "status", "points", "rank", "lang", "cancel", "help", "start",
    "invite", "chatid", "todo", "open",
    "board",  # the joint board of cross-department chains
    "major", "plan",  # grading a major hazard, entering its remediation plan
    "checkin",  # an inspector's check-in at a checkpoint, and its checklist
    "round", "rounds", "risk",  # my rounds today, the week's coverage, an area's risks
    "shop",  # the points shop
    "warnings", "index",  # trend warnings, the safety health index
    "incident",  # the safety manager records an injury
})
# A host bot has its own /start and /help; SafetyLoop answers them only when handed them.
HOST_COMMANDS = frozenset({"start", "help"})
DEFAULT_COMMANDS = ALL_COMMANDS - HOST_COMMANDS
# A chat stays "in flight" at most this long, should its queued update be handled elsewhere.
IN_FLIGHT_S = 120.0


def is_safetyloop_button(data: str) -> bool:
    """Whether a button's callback data reads as one SafetyLoop makes (`core.buttons`)."""
    payload = buttons.decode(data)
    return payload is not None and not isinstance(payload, buttons.LinkButton)


def command_of(message: JSON) -> tuple[str, str, str] | None:
    """(command, arguments, the bot it names or "") when the text starts with a command."""
    text = message.get("text")
    if not isinstance(text, str):
        return None
    entity = next((e for e in message.get("entities") or ()
                   if e.get("offset") == 0 and e.get("type") == "bot_command"), None)
    if entity is None:
        return None
    length = int(entity.get("length", 0))
    name, _, target = text[1:length].partition("@")
    return name.lower(), text[length:].strip(), target


class InFlight:
    """Chats with updates kept for SafetyLoop and not handled yet, counted per chat."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._chats: dict[str, tuple[int, float]] = {}
        self._rows: dict[int, str] = {}

    def add(self, chat: str) -> None:
        count, _ = self._chats.get(chat, (0, 0.0))
        self._chats[chat] = (count + 1, self.clock())

    def seen(self, rows: Sequence[Inbound], chat_of: Callable[[str], str]) -> None:
        """The drain fetched these rows: remember their chats, to count them off when done."""
        for row in rows:
            self._rows.setdefault(row.id, chat_of(row.payload))

    def done(self, ids: Sequence[int]) -> None:
        for row_id in ids:
            chat = self._rows.pop(row_id, None)
            if chat is None or chat not in self._chats:
                continue  # a row left over from an earlier run: it was never counted
            count, at = self._chats[chat]
            if count <= 1:
                del self._chats[chat]
            else:
                self._chats[chat] = (count - 1, at)

    def busy(self, chat: str) -> bool:
        count, at = self._chats.get(chat, (0, 0.0))
        if count and self.clock() - at > IN_FLIGHT_S:
            del self._chats[chat]  # handled by another process, or lost: stop claiming
            return False
        return count > 0


# Whether a SafetyLoop conversation runs for (chat, sender); whether a /start token is an invite.
Lookup = Callable[[str, str], Awaitable[bool]]
TokenLookup = Callable[[str], Awaitable[bool]]


class Claims:
    """Decides, for one raw update, whether SafetyLoop takes it or the host keeps it."""

    def __init__(
        self, *, username: str, commands: Collection[str], in_flight: InFlight,
        conversation: Lookup, invite: TokenLookup, asked_for_phone: Callable[[str], bool],
    ) -> None:
        unknown = set(commands) - ALL_COMMANDS
        if unknown:
            raise ValueError(f"not SafetyLoop commands: {', '.join(sorted(unknown))}")
        self.username, self.commands = username.lower(), frozenset(commands)
        self.in_flight, self.conversation, self.invite = in_flight, conversation, invite
        self.asked_for_phone = asked_for_phone

    async def wanted(self, update: JSON) -> bool:
        query = update.get("callback_query")
        if isinstance(query, dict):
            data = query.get("data")
            return isinstance(data, str) and is_safetyloop_button(data)
        message = update.get("message")
        if not isinstance(message, dict):
            return False  # edits, channel posts, members joining: SafetyLoop acts on none
        sender, chat = message.get("from") or {}, message.get("chat") or {}
        if not sender or sender.get("is_bot") or "id" not in chat:
            return False
        chat_id, sender_id = str(chat["id"]), str(sender.get("id"))
        direct = chat.get("type") == "private"
        command = command_of(message)
        if command is not None:
            return await self._command(*command, direct=direct, chat=chat_id, sender=sender_id)
        if not direct:
            return False  # in a group SafetyLoop answers commands and buttons only
        if self.in_flight.busy(chat_id):
            return True
        contact = message.get("contact") or {}
        if contact and contact.get("user_id") == sender.get("id") and (
                self.asked_for_phone(chat_id)):
            return True
        return await self.conversation(chat_id, sender_id)

    async def _command(
        self, name: str, args: str, target: str, *, direct: bool, chat: str, sender: str,
    ) -> bool:
        if target and target.lower() != self.username:
            return False  # "/report@another_bot"
        if name in self.commands:
            return True
        if name == "start" and args and direct:
            return args.lower() in ("report", "checkin") or await self.invite(args)
        return name in ALL_COMMANDS and direct and (
            self.in_flight.busy(chat) or await self.conversation(chat, sender))

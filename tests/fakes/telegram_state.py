"""What the fake Telegram server knows and records, plus the waiting helpers for tests."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from tests.fakes.telegram_objects import JSON, FakeChat, FakeUser, FileIds, StoredFile

T = TypeVar("T")
MessageKey = tuple[int, int]


class TelegramState:
    """Chats, messages, files, pending updates and every recorded bot call."""

    def __init__(
        self,
        token: str,
        *,
        bot_username: str = "safetyloop_bot",
        bot_name: str = "SafetyLoop",
        clock: Callable[[], float] = time.time,
    ) -> None:
        prefix = token.split(":", 1)[0]
        self.token = token
        self.bot_user = FakeUser(
            int(prefix) if prefix.isdigit() else 1,
            bot_name,
            username=bot_username,
            language_code=None,
            is_bot=True,
        )
        self.clock = clock
        self.chats: dict[int, FakeChat] = {}
        self.blocked: set[int] = set()
        self.messages: dict[MessageKey, JSON] = {}
        self.extras: dict[MessageKey, JSON] = {}
        self.bot_messages: dict[int, list[int]] = {}
        self.deleted: set[MessageKey] = set()
        self.file_ids = FileIds()
        self.files: dict[str, StoredFile] = {}
        self.photo_groups: dict[str, list[JSON]] = {}
        self.updates: list[JSON] = []
        # Real update ids start at an arbitrary large number; tests must not assume 1.
        self._next_update_id = 700_000_001
        self._next_message_id: dict[int, int] = {}
        self._next_callback_id = 4_300_000_000_000_000_001
        self.calls: list[str] = []
        self.requests: list[tuple[str, JSON]] = []
        self.edits: list[JSON] = []
        self.answered_callbacks: list[JSON] = []
        self.open_callbacks: dict[str, JSON] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.webhook: JSON = {"url": ""}
        self.errors: list[str] = []
        self._news = asyncio.Event()

    # -- bookkeeping used by the API and the user simulator --------------------------------------

    def now(self) -> int:
        """Unix time in seconds, as the Bot API's `date` fields carry it."""
        return int(self.clock())

    def notify(self) -> None:
        """Wake every waiter (long polls and `wait_for`) after a change."""
        self._news.set()
        self._news = asyncio.Event()

    async def changed(self, seconds: float) -> None:
        """Wait until the next change or `seconds`, whichever comes first."""
        news = self._news
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(news.wait(), timeout=max(seconds, 0.0))

    def new_message_id(self, chat_id: int) -> int:
        """Message ids count up per chat, shared by the users and the bot."""
        number = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = number
        return number

    def new_update_id(self) -> int:
        """The next update id."""
        number = self._next_update_id
        self._next_update_id += 1
        return number

    def new_callback_id(self) -> str:
        """The next callback query id (Telegram's are long numeric strings)."""
        number = self._next_callback_id
        self._next_callback_id += 1
        return str(number)

    def store_file(self, record: StoredFile) -> StoredFile:
        """Remember a file so getFile and downloads find it."""
        self.files[record.file_id] = record
        return record

    def file_by_path(self, path: str) -> StoredFile | None:
        """Find a stored file by its download path."""
        return next((f for f in self.files.values() if f.file_path == path), None)

    def chat(self, chat_id: int) -> FakeChat | None:
        """A known chat, or None."""
        return self.chats.get(chat_id)

    # -- recordings for tests -------------------------------------------------------------------

    def sent(self, chat_id: int) -> list[JSON]:
        """Bot messages to a chat in sending order, as last edited.

        Each dict is the Bot API message plus `reply_markup` as sent (any keyboard type),
        `raw_text` (before parse_mode), `parse_mode`, `file_bytes` and `deleted`.
        """
        return [self._view((chat_id, mid)) for mid in self.bot_messages.get(chat_id, [])]

    def last(self, chat_id: int) -> JSON | None:
        """The newest bot message to a chat, or None."""
        ids = self.bot_messages.get(chat_id)
        return self._view((chat_id, ids[-1])) if ids else None

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """Any stored message (user's or bot's) in its Bot API shape."""
        stored = self.messages.get((chat_id, message_id))
        return copy.deepcopy(stored) if stored is not None else None

    def file_bytes(self, file_id: str) -> bytes | None:
        """Bytes of a stored file."""
        record = self.files.get(file_id)
        return record.data if record else None

    def commands_for(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands set with setMyCommands for a scope and language."""
        return list(self.commands.get((scope_key(scope), language_code), []))

    def calls_of(self, method: str) -> list[JSON]:
        """Parameters of every call of one method, in order."""
        return [params for name, params in self.requests if name.lower() == method.lower()]

    async def wait_for(
        self,
        predicate: Callable[[], T],
        timeout: float = 5.0,  # noqa: ASYNC109 - the deadline is part of the helper's contract
        what: str = "condition",
    ) -> T:
        """Wait until `predicate()` is truthy and return its value; fail after `timeout`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            # Recordings change only on notify(), but predicates may read outside state too.
            await self.changed(min(remaining, 0.05))

    async def wait_for_messages(
        self,
        chat_id: int,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - as in wait_for
    ) -> list[JSON]:
        """Wait until the bot has sent at least `n` messages to a chat; return them."""

        def enough() -> list[JSON]:
            messages = self.sent(chat_id)
            return messages if len(messages) >= n else []

        return await self.wait_for(enough, timeout, what=f"{n} message(s) to chat {chat_id}")

    def _view(self, key: MessageKey) -> JSON:
        view = copy.deepcopy(self.messages[key])
        view.update(copy.deepcopy(self.extras.get(key, {})))
        view["deleted"] = key in self.deleted
        return view


def scope_key(scope: Any) -> str:
    """Canonical key of a BotCommandScope (default scope when absent)."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True)

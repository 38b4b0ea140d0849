"""Bot API methods about the bot itself: getMe, getUpdates, webhooks and commands."""

from __future__ import annotations

import asyncio
import copy
import re
from collections.abc import Callable
from typing import Any

from tests.fakes.telegram_api_messages import Handler
from tests.fakes.telegram_objects import JSON
from tests.fakes.telegram_params import ApiError, as_bool, as_int, as_json, as_str, bad_request
from tests.fakes.telegram_state import TelegramState, scope_key

# Update types Telegram leaves out unless a bot lists them in allowed_updates explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_ACCEPTED = ("setmydescription", "setmyshortdescription", "setmyname", "setchatmenubutton")


class BotApi:
    """getMe, getUpdates (long polling), webhook and command methods."""

    def __init__(
        self,
        state: TelegramState,
        interrupt: Callable[[], ApiError | None],
        closing: Callable[[], bool],
    ) -> None:
        self.state = state
        self.interrupt = interrupt
        self.closing = closing
        self.allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._delivered: set[int] = set()

    def handlers(self) -> dict[str, Handler]:
        """Handlers by lower-case method name."""
        handlers: dict[str, Handler] = {
            "getme": self.get_me,
            "getupdates": self.get_updates,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
        }
        for name in (*_ACCEPTED, "logout", "close"):
            handlers[name] = self.accept
        return handlers

    async def get_me(self, params: dict[str, Any]) -> JSON:
        """The bot's own `User`, with the bot-only capability flags."""
        return {
            **self.state.bot_user.to_dict(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def accept(self, params: dict[str, Any]) -> bool:
        """Methods the fake accepts without modelling them."""
        return True

    async def get_updates(self, params: dict[str, Any]) -> list[JSON]:
        """Confirm updates below `offset`, then long-poll up to `timeout` seconds for new ones."""
        if self.state.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = as_int(params, "offset")
        limit = min(max(as_int(params, "limit", 100) or 100, 1), 100)
        timeout = max(as_int(params, "timeout", 0) or 0, 0)
        allowed = as_json(params, "allowed_updates")
        if allowed is not None:
            self.allowed_updates = list(allowed)
        self._confirm(offset)
        # A newer getUpdates ends an older one with 409, as when two bot instances poll.
        self._poll_generation += 1
        generation = self._poll_generation
        self.state.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            error = self.interrupt()
            if error is not None:
                raise error
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._batch(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or self.closing():
                self._delivered.update(id(update) for update in batch)
                return copy.deepcopy(batch)
            await self.state.changed(remaining)

    async def set_webhook(self, params: dict[str, Any]) -> bool:
        """Store the webhook; an empty url removes it."""
        if as_bool(params, "drop_pending_updates"):
            self.state.updates.clear()
            self._delivered.clear()
        url = as_str(params, "url") or ""
        if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.state.webhook = {
            "url": url,
            "secret_token": as_str(params, "secret_token"),
            "allowed_updates": as_json(params, "allowed_updates"),
            "max_connections": as_int(params, "max_connections", 40),
        }
        self.state.notify()
        return True

    async def delete_webhook(self, params: dict[str, Any]) -> bool:
        """Remove the webhook (PTB calls this before it starts polling)."""
        if as_bool(params, "drop_pending_updates"):
            self.state.updates.clear()
            self._delivered.clear()
        self.state.webhook = {"url": ""}
        self.state.notify()
        return True

    async def get_webhook_info(self, params: dict[str, Any]) -> JSON:
        """Return `WebhookInfo`."""
        info: JSON = {
            "url": self.state.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.state.updates),
        }
        if info["url"]:
            info["max_connections"] = self.state.webhook.get("max_connections") or 40
            if self.state.webhook.get("allowed_updates") is not None:
                info["allowed_updates"] = self.state.webhook["allowed_updates"]
        return info

    async def set_my_commands(self, params: dict[str, Any]) -> bool:
        """Store commands per scope and language_code."""
        commands = as_json(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("commands must be an Array of at most 100 BotCommand")
        for command in commands:
            name = str(command.get("command", "")).removeprefix("/")
            if not _COMMAND_NAME.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("command description must be 1-256 characters")
        key = (scope_key(as_json(params, "scope")), as_str(params, "language_code") or "")
        self.state.commands[key] = [
            {"command": str(c["command"]).removeprefix("/"), "description": c["description"]}
            for c in commands
        ]
        self.state.notify()
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> list[JSON]:
        """Commands of exactly this scope and language_code."""
        key = (scope_key(as_json(params, "scope")), as_str(params, "language_code") or "")
        return copy.deepcopy(self.state.commands.get(key, []))

    async def delete_my_commands(self, params: dict[str, Any]) -> bool:
        """Forget the commands of a scope and language_code."""
        key = (scope_key(as_json(params, "scope")), as_str(params, "language_code") or "")
        self.state.commands.pop(key, None)
        self.state.notify()
        return True

    def _confirm(self, offset: int | None) -> None:
        updates = self.state.updates
        if offset is None:
            return
        if offset < 0:
            del updates[: max(len(updates) + offset, 0)]
            self._delivered.clear()
            return
        # Only delivered updates are confirmed, so a replayed update_id still arrives again.
        keep = [
            u
            for u in updates
            if u["update_id"] >= offset or (id(u) not in self._delivered and self._allowed(u))
        ]
        self._delivered.intersection_update(id(u) for u in keep)
        updates[:] = keep

    def _batch(self, limit: int) -> list[JSON]:
        # Stop before an id lower than its predecessor (a replay): PTB confirms by the last id.
        batch: list[JSON] = []
        for update in self.state.updates:
            if len(batch) == limit:
                break
            if not self._allowed(update):
                continue
            if batch and update["update_id"] < batch[-1]["update_id"]:
                break
            batch.append(update)
        return batch

    def _allowed(self, update: JSON) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if not self.allowed_updates:
            return self.allowed_updates is None or kind not in _OPT_IN_UPDATES
        return kind in self.allowed_updates

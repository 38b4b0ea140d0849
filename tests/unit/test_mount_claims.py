"""What a host bot hands to SafetyLoop, and what it keeps: decided on the raw Bot API update."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.inlet import Inbound
from integrations.claims import (
    ALL_COMMANDS,
    DEFAULT_COMMANDS,
    Claims,
    InFlight,
    command_of,
    is_safetyloop_button,
)

ROOT = Path(__file__).resolve().parents[2]
WORKER, LEAD, GROUP = 1001, 1002, -1001000000002


def message(text: str | None = None, *, chat: int = WORKER, sender: int = WORKER,
            **fields: Any) -> dict[str, Any]:
    kind = "private" if chat > 0 else "supergroup"
    body: dict[str, Any] = {"message_id": 7, "date": 0, "chat": {"id": chat, "type": kind},
                            "from": {"id": sender, "is_bot": False, "first_name": "周"}}
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": 1, "message": {**body, **fields}}


def press(data: str, *, chat: int = WORKER) -> dict[str, Any]:
    return {"update_id": 2, "callback_query": {
        "id": "q", "chat_instance": "c", "data": data,
        "from": {"id": WORKER, "is_bot": False, "first_name": "周"},
        "message": {"message_id": 3, "date": 0, "chat": {"id": chat, "type": "private"}}}}


class Fixture:
    """Claims over fake look-ups: who converses, which tokens are invites, who was asked."""

    def __init__(self, commands: frozenset[str] = DEFAULT_COMMANDS) -> None:
        self.conversing: set[tuple[str, str]] = set()
        self.invites: set[str] = set()
        self.asked: set[str] = set()
        self.in_flight = InFlight(clock=lambda: self.now)
        self.now = 0.0
        self.claims = Claims(username="SafetyLoop_Bot", commands=commands,
                             in_flight=self.in_flight, conversation=self._converses,
                             invite=self._invite, asked_for_phone=self.asked.__contains__)

    async def _converses(self, chat: str, sender: str) -> bool:
        return (chat, sender) in self.conversing

    async def _invite(self, token: str) -> bool:
        return token in self.invites

    async def wanted(self, update: dict[str, Any]) -> bool:
        return await self.claims.wanted(update)


async def test_safetyloop_takes_its_commands_and_leaves_the_hosts_own_alone() -> None:
    f = Fixture()
    ours = ["/report", "/points", "/cancel", "/status HZ-1", "/report@safetyloop_bot",
            "/start report", "/checkin", "/start checkin"]
    hosts = ["/start", "/help", "/hello", "/report@another_bot", "/start promo42"]
    assert [await f.wanted(message(text)) for text in ours] == [True] * len(ours)
    assert [await f.wanted(message(text)) for text in hosts] == [False] * len(hosts)


async def test_a_host_may_hand_its_start_and_help_to_safetyloop() -> None:
    f = Fixture(commands=ALL_COMMANDS)
    assert await f.wanted(message("/start")) and await f.wanted(message("/help"))


async def test_an_invite_deep_link_is_safetyloops_and_another_start_payload_is_not() -> None:
    f = Fixture()
    f.invites.add("A1b2C3d4E5f6G7h8")
    assert await f.wanted(message("/start A1b2C3d4E5f6G7h8"))
    assert not await f.wanted(message("/start B1b2C3d4E5f6G7h8"))
    assert not await f.wanted(message("/start A1b2C3d4E5f6G7h8", chat=GROUP))


async def test_buttons_safetyloop_made_are_its_own_and_the_hosts_are_not() -> None:
    f = Fixture()
    ours = ["t:accept:HZ-261128-0042", "d:3:ELEC", "o:2", "o:2:t:MECH"]
    hosts = ["host:like", "menu", "d:x:y", "t:explode:HZ-1", "url:https://example.com"]
    assert [await f.wanted(press(data)) for data in ours] == [True] * len(ours)
    assert [await f.wanted(press(data)) for data in hosts] == [False] * len(hosts)
    assert not is_safetyloop_button("")


async def test_a_direct_message_is_safetyloops_only_while_its_conversation_runs() -> None:
    f = Fixture()
    photo = message(photo=[{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}])
    before = (await f.wanted(message("CNC-07")), await f.wanted(photo))
    f.conversing.add((str(WORKER), str(WORKER)))
    during = (await f.wanted(message("CNC-07")), await f.wanted(photo),
              await f.wanted(message("/help")))
    in_a_group = await f.wanted(message("CNC-07", chat=GROUP))
    a_host_command = await f.wanted(message("/hello"))
    assert before == (False, False)
    assert during == (True, True, True)
    assert not in_a_group and not a_host_command


async def test_a_photo_right_after_report_is_safetyloops_before_the_report_has_started() -> None:
    f = Fixture()
    f.in_flight.add(str(WORKER))                   # /report kept, not handled yet
    photo_first = await f.wanted(message(photo=[{"file_id": "f"}]))
    f.in_flight.seen([Inbound(5, "telegram", "{}")], lambda _: str(WORKER))
    f.in_flight.done([5])
    after = await f.wanted(message("hello"))
    assert photo_first and not after


async def test_a_chat_counts_as_in_flight_for_a_while_only() -> None:
    f = Fixture()
    f.in_flight.add(str(WORKER))
    f.now = 1000.0                                 # handled by another process, say
    assert not await f.wanted(message("hello"))


async def test_only_ones_own_number_after_safetyloops_button_is_safetyloops() -> None:
    f = Fixture()
    own = message(contact={"phone_number": "+8613800000018", "first_name": "杨",
                           "user_id": WORKER})
    someone_else = message(contact={"phone_number": "+8613800000001", "first_name": "王"})
    not_asked = await f.wanted(own)
    f.asked.add(str(WORKER))
    assert not not_asked and await f.wanted(own) and not await f.wanted(someone_else)


async def test_updates_of_other_kinds_and_from_bots_stay_with_the_host() -> None:
    f = Fixture()
    edited = {"update_id": 3, "edited_message": message("/report")["message"]}
    from_a_bot = message("/report")
    from_a_bot["message"]["from"]["is_bot"] = True
    assert not await f.wanted(edited) and not await f.wanted(from_a_bot)


def test_a_command_is_read_from_its_entity_only() -> None:
    assert command_of(message("/Report@SafetyLoop_Bot now")["message"]) == (
        "report", "now", "SafetyLoop_Bot")
    assert command_of({"text": "/report", "entities": []}) is None
    assert command_of({"caption": "/report"}) is None


def test_a_command_that_is_not_safetyloops_cannot_be_handed_to_it() -> None:
    with pytest.raises(ValueError, match="hello"):
        Fixture(commands=frozenset({"report", "hello"}))


def test_the_mount_knows_every_command_the_handlers_answer() -> None:
    from handlers.commands import COMMANDS
    from handlers.dispatcher import STARTERS

    assert set(COMMANDS) | set(STARTERS) | {"cancel"} == ALL_COMMANDS


def test_a_mount_also_sends_through_the_outbound_only_channels_that_are_configured() -> None:
    from bot.settings import Settings
    from integrations.mount import outbound_senders

    mail = Settings.from_env({"SMTP_HOST": "127.0.0.1", "SMTP_FROM": "safety@example.com",
                              "TELEGRAM_BOT_TOKEN": "123:ABC"})
    copied = mail.model_copy(update={"telegram_webhook_url": None})
    assert set(outbound_senders(copied)) == {"email"}          # not Telegram: the host's
    assert outbound_senders(Settings.from_env({})) == {}


def test_only_the_aiogram_mount_imports_aiogram() -> None:
    importers = sorted(
        str(path.relative_to(ROOT))
        for package in ("bot", "core", "handlers", "storage", "scheduler", "reports",
                        "integrations")
        for path in (ROOT / package).rglob("*.py")
        if any(name.split(".")[0] == "aiogram" for name in _imports(path))
    )
    assert importers == ["integrations/aiogram.py"]


def test_aiogram_is_an_extra_that_the_dev_install_brings() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert extras["aiogram"] == ["aiogram>=3.31,<4"]
    assert "safetyloop[aiogram]" in extras["dev"]


def test_the_embedding_guide_shows_two_short_bots_that_import_real_names() -> None:
    import importlib
    import re

    guide = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    examples = re.findall(r"^```python\n(.*?)^```", guide, re.MULTILINE | re.DOTALL)
    assert len(examples) == 2
    for example in examples:
        tree = ast.parse(example)
        assert len(example.strip().splitlines()) <= 16
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = importlib.import_module(node.module)
                assert all(hasattr(module, alias.name) for alias in node.names), node.module


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found

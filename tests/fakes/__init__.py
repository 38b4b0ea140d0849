"""Hand-written fakes of external systems for integration and end-to-end tests."""

from __future__ import annotations

from tests.fakes.telegram_asgi import LocalAsgiServer
from tests.fakes.telegram_objects import FakeChat, FakeUser
from tests.fakes.telegram_server import FakeTelegram

__all__ = ["FakeChat", "FakeTelegram", "FakeUser", "LocalAsgiServer"]

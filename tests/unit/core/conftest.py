from __future__ import annotations

import pytest

from core.clock import SimClock
from tests.unit.core.fakes import T0, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> SimClock:
    return SimClock(T0)

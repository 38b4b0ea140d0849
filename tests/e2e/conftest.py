from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.shell import Plant


@pytest.fixture
def plant(tmp_path: Path) -> Plant:
    return Plant(tmp_path)

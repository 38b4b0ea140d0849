"""pyproject.toml in the form that installs without setuptools' deprecation warnings."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def pyproject() -> dict[str, Any]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))


def test_the_license_is_an_spdx_string_not_a_table() -> None:
    # setuptools >= 77 warns at every install about `license = {text = ...}` (PEP 639)
    assert pyproject()["project"]["license"] == "Apache-2.0"


def test_the_build_requires_a_setuptools_that_reads_spdx_licenses() -> None:
    requires = pyproject()["build-system"]["requires"]
    floors = [
        int(found.group(1))
        for requirement in requires
        if (found := re.fullmatch(r"setuptools\s*>=\s*(\d+)(?:\.\d+)*\s*(?:,.*)?", requirement))
    ]
    assert floors, f"no setuptools>=N in {requires}"
    assert floors[0] >= 77

"""core/ imports only the standard library and itself, so it runs anywhere and tests in ms."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[3] / "core"


def imported_top_levels(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def foreign_imports(source: str) -> set[str]:
    allowed = set(sys.stdlib_module_names) | {"core", "__future__"}
    return imported_top_levels(source) - allowed


def test_the_core_package_has_modules_to_check() -> None:
    assert len(list(CORE.glob("*.py"))) > 5


def test_core_imports_nothing_but_the_standard_library_and_itself() -> None:
    offenders = {
        path.name: sorted(found)
        for path in sorted(CORE.glob("*.py"))
        if (found := foreign_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_check_catches_imports_of_third_party_and_sibling_packages() -> None:
    source = (
        "import sqlmodel\nfrom storage.tables import TicketRow\n"
        "import telegram.ext as t\nfrom . import plant\nfrom core.plant import Plant\n"
        "import json, os.path\n"
        "def later():\n    import apscheduler\n"
    )
    assert foreign_imports(source) == {"sqlmodel", "storage", "telegram", "apscheduler"}

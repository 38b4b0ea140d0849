"""Dependencies point inward: each package imports only the layers beneath it.

Every import counts: absolute and relative ones, those under `if TYPE_CHECKING:` and those
inside functions.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"core", "handlers", "storage", "bot", "scheduler", "reports", "integrations"}
FRAMEWORKS = {"telegram", "wechatpy", "aiogram", "sqlmodel", "sqlalchemy", "alembic", "PIL",
              "httpx", "apscheduler", "starlette", "uvicorn", "openpyxl", "aiosmtplib"}

# (package, what it may import of ours (prefixes), third-party frameworks it may not use)
RULES: list[tuple[str, tuple[str, ...], set[str]]] = [
    ("core", ("core",), set()),  # and the standard library only: checked apart
    ("handlers", ("core", "handlers"), FRAMEWORKS),
    ("storage", ("core", "storage"),
     FRAMEWORKS - {"sqlmodel", "sqlalchemy", "alembic", "PIL", "openpyxl"}),
    ("reports", ("core", "reports"), FRAMEWORKS - {"PIL", "openpyxl"}),
    ("scheduler", ("core", "handlers", "scheduler"), FRAMEWORKS - {"apscheduler"}),
    # Channel adapters see the inlet, not the handlers, the storage or the app.
    ("bot/channels", ("core", "bot.channels", "bot.inlet", "bot.settings"), set()),
]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Every module `path` imports, relative imports resolved to absolute names."""
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def sources(package: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def offences(
    package: str, allowed: tuple[str, ...], banned: set[str], root: Path = ROOT
) -> dict[str, list[str]]:
    out = {}
    for path in sources(package, root):
        wrong = sorted(
            name for name in imports_of(path, root)
            if (name.split(".")[0] in FIRST_PARTY
                and not any(name == a or name.startswith(f"{a}.") for a in allowed))
            or name.split(".")[0] in banned
        )
        if wrong:
            out[str(path.relative_to(root))] = wrong
    return out


@pytest.mark.parametrize(("package", "allowed", "banned"), RULES, ids=[r[0] for r in RULES])
def test_each_layer_imports_only_what_lies_beneath_it(
    package: str, allowed: tuple[str, ...], banned: set[str]
) -> None:
    assert sources(package), f"{package} has no modules to check"
    assert offences(package, allowed, banned) == {}


def test_core_imports_nothing_but_the_standard_library() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__", "core"}
    foreign = {
        str(path.relative_to(ROOT)): sorted(n for n in imports_of(path) if n.split(".")[0]
                                            not in stdlib)
        for path in sources("core")
    }
    assert {k: v for k, v in foreign.items() if v} == {}


def test_the_check_reads_relative_type_checking_and_late_imports(tmp_path: Path) -> None:
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "probe.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import render\n"
        "from ..storage import photos\n"
        "if TYPE_CHECKING:\n    from bot.app import App\n"
        "def later():\n    import telegram\n",
        encoding="utf-8",
    )
    assert imports_of(tmp_path / "handlers" / "probe.py", tmp_path) >= {
        "handlers.render", "storage.photos", "bot.app.App", "telegram"}
    assert offences("handlers", ("core", "handlers"), FRAMEWORKS, tmp_path) == {
        "handlers/probe.py": ["bot.app.App", "storage.photos", "telegram"]}

"""The domain and the conversations know no chat platform: each channel owns its own details.

Comments and docstrings may name a platform to explain a choice; code may not.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PLATFORMS = re.compile(r"telegram|wecom", re.IGNORECASE)


def docstring_starts(source: str) -> set[tuple[int, int]]:
    """Where each module, class and function docstring begins, as tokenize counts."""
    starts = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                starts.add((first.lineno, first.col_offset))
    return starts


def platform_mentions(source: str) -> list[str]:
    """Each line of code (not a comment, not a docstring) that names a platform."""
    docstrings = docstring_starts(source)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            continue
        if token.type == tokenize.STRING and token.start in docstrings:
            continue
        if PLATFORMS.search(token.string):
            found.append(f"{token.start[0]}: {token.line.strip()}")
    return found


def test_core_and_handlers_name_no_chat_platform_outside_comments_and_docstrings() -> None:
    offences = {
        str(path.relative_to(ROOT)): mentions
        for package in ("core", "handlers")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (mentions := platform_mentions(path.read_text(encoding="utf-8")))
    }
    assert offences == {}


def test_the_check_finds_names_and_strings_but_not_comments_or_docstrings() -> None:
    source = (
        '"""Sent on WeCom."""\n'
        "# Telegram counts in UTF-16\n"
        "def send(telegram_id: int) -> str:\n"
        '    """Telegram only."""\n'
        '    return "group:" if telegram_id else "wecom"\n'
    )
    assert platform_mentions(source) == [
        "3: def send(telegram_id: int) -> str:",
        '5: return "group:" if telegram_id else "wecom"',
        '5: return "group:" if telegram_id else "wecom"',
    ]

"""A channel is one package and one line of registration: the e-mail channel shows it.

Its transport (SMTP) and its name appear nowhere in core/ or handlers/, which only say
which messages go to every channel a person has.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from bot.channels import CHANNELS
from tests.unit.test_layers import imports_of
from tests.unit.test_platform_names import docstring_starts

ROOT = Path(__file__).resolve().parents[2]
TRANSPORT = re.compile(r"smtp|aiosmtplib", re.IGNORECASE)


def mentions(path: Path) -> list[str]:
    """Code (not comments or docstrings) naming SMTP, or the channel by its name as a string."""
    source = path.read_text(encoding="utf-8")
    docstrings = docstring_starts(source)
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT or token.start in docstrings:
            continue
        if TRANSPORT.search(token.string) or token.string in ('"email"', "'email'"):
            found.append(f"{token.start[0]}: {token.line.strip()}")
    return found


def test_the_email_channel_is_a_package_registered_by_one_line() -> None:
    assert (ROOT / "bot" / "channels" / "email" / "__init__.py").is_file()
    assert "email" in CHANNELS
    registry = (ROOT / "bot" / "channels" / "__init__.py").read_text(encoding="utf-8")
    assert registry.count('"email"') == 1


def test_core_and_handlers_know_nothing_of_the_email_transport() -> None:
    sources = [path for package in ("core", "handlers")
               for path in sorted((ROOT / package).rglob("*.py"))]
    assert sources
    offences = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := mentions(path)
            + sorted(n for n in imports_of(path) if n.startswith(("bot", "aiosmtplib"))))
    }
    assert offences == {}


def test_the_check_would_see_a_handler_that_sends_mail_itself(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('"""Mail by SMTP."""\nimport aiosmtplib\nCHANNEL = "email"\n',
                     encoding="utf-8")
    assert mentions(probe) == ["2: import aiosmtplib", '3: CHANNEL = "email"']

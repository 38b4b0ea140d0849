"""The gettext catalogs, one `<lang>/LC_MESSAGES/safetyloop.po` per language: a folder each."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

DOMAIN = "safetyloop"
DEFAULT = "zh-CN"


def folder() -> Traversable:
    return files(__name__)


def template() -> Traversable:
    """The .pot a translator starts a language from: every key, nothing translated."""
    return folder() / f"{DOMAIN}.pot"


def po_file(lang: str, root: Traversable | None = None) -> Traversable:
    # gettext names folders by POSIX locale (zh_CN); plant.yaml and /lang write zh-CN
    return (root or folder()) / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages_in(root: Traversable) -> tuple[str, ...]:
    """The languages with a catalog under `root`, the default first, then by code."""
    found = sorted(
        entry.name.replace("_", "-")
        for entry in root.iterdir()
        if entry.is_dir() and po_file(entry.name, root).is_file()
    )
    return (DEFAULT, *(lang for lang in found if lang != DEFAULT))


@cache
def languages() -> tuple[str, ...]:
    """Every language SafetyLoop speaks: dropping in a new .po file adds one."""
    return languages_in(folder())

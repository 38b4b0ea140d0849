"""The message catalogs: every user-facing string, by language."""

from __future__ import annotations

from handlers.locales import en, zh_cn

DEFAULT = "zh-CN"
CATALOGS: dict[str, dict[str, str]] = {"zh-CN": zh_cn.MESSAGES, "en": en.MESSAGES}


def t(lang: str, key: str, **values: object) -> str:
    catalog = CATALOGS.get(lang, CATALOGS[DEFAULT])
    template = catalog.get(key) or CATALOGS[DEFAULT][key]
    return template.format(**values) if values else template


def label(lang: str, text: str) -> str:
    """A button label: a catalog key is translated, anything else (a name, a code) shown as is."""
    return t(lang, text) if text in CATALOGS[DEFAULT] else text

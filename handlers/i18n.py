"""The message catalogs: every user-facing string, by language, read from gettext PO files."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import IO

from babel.messages.pofile import read_po

from handlers.locales import DEFAULT, DOMAIN, languages, po_file

__all__ = ["CATALOGS", "DEFAULT", "catalog", "label", "languages", "read_catalog", "t"]


def read_catalog(po: IO[bytes]) -> dict[str, str]:
    """Key → text of one PO file, in file order; empty and fuzzy entries are left out."""
    # as gettext does: an untranslated or unreviewed (fuzzy) entry falls back to the default
    return {
        message.id: message.string
        for message in read_po(po, domain=DOMAIN)
        if isinstance(message.id, str) and message.id
        and isinstance(message.string, str) and message.string and not message.fuzzy
    }


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """Key → text for one language, read once per process; unknown languages get the default."""
    if lang not in languages():
        return catalog(DEFAULT)
    with po_file(lang).open("rb") as po:
        return MappingProxyType(read_catalog(po))


class _Catalogs(Mapping[str, Mapping[str, str]]):
    """Language → catalog over the .po files; iterating lists the languages, the default first."""

    def __getitem__(self, lang: str) -> Mapping[str, str]:
        if lang not in languages():
            raise KeyError(lang)
        return catalog(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(languages())

    def __len__(self) -> int:
        return len(languages())


CATALOGS: Mapping[str, Mapping[str, str]] = _Catalogs()


def t(lang: str, key: str, **values: object) -> str:
    template = catalog(lang).get(key) or catalog(DEFAULT)[key]
    return template.format(**values) if values else template


def label(lang: str, text: str) -> str:
    """A button label: a catalog key is translated, anything else (a name, a code) shown as is."""
    return t(lang, text) if text in catalog(DEFAULT) else text

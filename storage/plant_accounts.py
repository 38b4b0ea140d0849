"""The channels' own plant.yaml keys (`telegram_id: 42`) filed by channel under `accounts`/`chats`.

Each channel declares its keys (`core.plant.ChannelKeys`); the loader gets them from the
bot, so a new channel brings its keys with it and storage names no platform.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from core.plant import AccountKey, ChannelKeys, Person, Team

Loc = tuple[str | int, ...]
Explain = Callable[[ErrorDetails], str]


@dataclass(frozen=True)
class Section:
    """A list of plant.yaml whose entries carry channel keys, and the map they land in."""

    name: str
    holder: type
    field: str

    def key_of(self, channel: ChannelKeys) -> AccountKey | None:
        return channel.person if self.holder is Person else channel.team


SECTIONS = (Section("people", Person, "accounts"), Section("teams", Team, "chats"))


def channel_keys_by_holder(channels: Sequence[ChannelKeys]) -> dict[type, list[str]]:
    """The keys each dataclass accepts besides its fields, in the channels' order."""
    return {
        section.holder: [key.key for c in channels if (key := section.key_of(c)) is not None]
        for section in SECTIONS
    }


def map_fields() -> dict[type, str]:
    """The field each dataclass keeps its channel ids in."""
    return {section.holder: section.field for section in SECTIONS}


def file_accounts(
    data: Mapping[str, Any], channels: Sequence[ChannelKeys], explain: Explain
) -> tuple[dict[str, Any], list[tuple[Loc, str]]]:
    """A copy of the file's data with each channel key moved into its map, and what was wrong.

    Errors name the key as written (`people[3].telegram_id`), so their lines can be found.
    """
    out: dict[str, Any] = dict(data)
    errors: list[tuple[Loc, str]] = []
    if not channels:
        return out, []
    for section in SECTIONS:
        items = data.get(section.name)
        if isinstance(items, list):
            out[section.name] = [
                _filed(section, (section.name, i), item, channels, explain, errors)
                if isinstance(item, dict) else item
                for i, item in enumerate(items)
            ]
    return out, errors


def _filed(
    section: Section, loc: Loc, entry: Mapping[str, Any], channels: Sequence[ChannelKeys],
    explain: Explain, errors: list[tuple[Loc, str]],
) -> dict[str, Any]:
    item = dict(entry)  # a copy: YAML aliases may share one mapping between entries
    ids: dict[str, str] = {}
    given_as: dict[str, str] = {}
    for channel in channels:
        key = section.key_of(channel)
        if key is not None and key.key in item:
            # A key that is also the holder's own field (a person's `email`) stays there too,
            # and pydantic reports a wrong value there: once is enough.
            own = key.key in _own_fields(section.holder)
            raw = item[key.key] if own else item.pop(key.key)
            value = _checked(raw, key, (*loc, key.key), explain, [] if own else errors)
            if value is not None:
                ids[channel.channel], given_as[channel.channel] = value, key.key
    written = item.get(section.field)
    if isinstance(written, dict):
        known = {c.channel: key for c in channels if (key := section.key_of(c)) is not None}
        for name, raw in written.items():
            where = (*loc, section.field, str(name))
            key = known.get(str(name))
            if key is None:
                errors.append((where, f"unknown channel {name!r} (channels: {', '.join(known)})"))
            elif str(name) in given_as:
                errors.append((where, f"also given as {given_as[str(name)]}; write it once"))
            elif (value := _checked(raw, key, where, explain, errors)) is not None:
                ids[str(name)] = value
        item[section.field] = ids
    elif section.field not in item and ids:
        item[section.field] = ids
    return item


def _checked(
    raw: object, key: AccountKey, loc: Loc, explain: Explain, errors: list[tuple[Loc, str]]
) -> str | None:
    """The value as text, or None when it is empty or wrong (then with an error)."""
    try:
        value = _adapter(key.whole_number).validate_python(raw)
    except ValidationError as exc:
        errors += [((*loc, *e["loc"]), explain(e)) for e in exc.errors(include_url=False)]
        return None
    return None if value is None or value == "" else str(value)


@cache
def _adapter(whole_number: bool) -> TypeAdapter[Any]:
    return TypeAdapter(int | None if whole_number else str | None)


@cache
def _own_fields(holder: type) -> frozenset[str]:
    return frozenset(field.name for field in dataclasses.fields(holder))

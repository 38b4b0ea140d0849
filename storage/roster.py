"""Merges people into plant.yaml's `people:` list, keeping every comment and untouched line."""

from __future__ import annotations

import difflib
import io
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from core.plant import ChannelKeys
from storage.plantfile import PlantFileError, load_plant

# The order of a person's keys in plant.yaml; a key a person lacks is inserted at its place.
FIELD_ORDER = (
    "id", "name", "roles", "department", "team", "superior", "lang", "phone", "email",
    "telegram_id", "wecom_id",
)
FieldValue = str | int | tuple[str, ...]


@dataclass(frozen=True)
class PersonUpdate:
    """What one source (a file row, a WeCom member) says about a person; absent keys say nothing."""

    id: str
    fields: Mapping[str, FieldValue]
    source: str = ""


@dataclass(frozen=True)
class Merge:
    """plant.yaml before and after, and what changed for whom."""

    before: str
    after: str
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # id -> changed keys
    unchanged: list[str] = field(default_factory=list)
    not_in_source: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self, label: str) -> str:
        """A unified diff of plant.yaml, as `diff -u` would print it."""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=label, tofile=f"{label} (merged)",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, key order, quotes and flow style survive
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the officer wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read_plant_text(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def merge_people(text: str, updates: Sequence[PersonUpdate]) -> Merge:
    """New ids appended, known ids get the changed keys, everyone else is left alone."""
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        raise ValueError("plant.yaml has no key: value pairs at the top level")
    people = data.get("people")
    if not isinstance(people, CommentedSeq):
        people = CommentedSeq()
        data["people"] = people
    existing = {str(p.get("id")): p for p in people if isinstance(p, CommentedMap)}
    added: list[str] = []
    updated: dict[str, list[str]] = {}
    for update in updates:
        entry = existing.get(update.id)
        if entry is None:
            existing[update.id] = _new_entry(update)
            _append(people, existing[update.id])
            added.append(update.id)
            continue
        changed = [key for key, value in update.fields.items() if _set(entry, key, value)]
        if changed:
            updated.setdefault(update.id, []).extend(changed)
    named = [u.id for u in updates]
    out = io.StringIO()
    yaml.dump(data, out)
    return Merge(
        before=text, after=out.getvalue(), added=added, updated=updated,
        unchanged=[i for i in dict.fromkeys(named) if i not in added and i not in updated],
        not_in_source=[i for i in existing if i not in set(named)],
    )


def _yaml_value(key: str, value: FieldValue) -> Any:
    if isinstance(value, tuple):
        seq = CommentedSeq(str(v) for v in value)  # plain text, never an Enum
        seq.fa.set_flow_style()  # roles: [worker, team_lead], as the file writes them
        return seq
    if isinstance(value, str) and (key == "phone" or not _reads_back_as_text(value)):
        return DoubleQuotedScalarString(value)  # as the file's own tip says: quote such text
    return value


def _reads_back_as_text(value: str) -> bool:
    """Whether the plant loader (PyYAML, YAML 1.1) reads `value` written plain as that text:
    ruamel writes YAML 1.2, where `yes`, `on` or `0x1F` would stay text but not for PyYAML."""
    try:
        return bool(pyyaml.safe_load(value) == value)
    except pyyaml.YAMLError:
        return False


def _same(old: Any, new: FieldValue) -> bool:
    if isinstance(new, tuple):
        return isinstance(old, list) and [str(v) for v in old] == list(new)
    return old is not None and str(old) == str(new)


def _set(entry: CommentedMap, key: str, value: FieldValue) -> bool:
    """Set one key in place; False when it already held that value."""
    if key in entry:
        if _same(entry[key], value):
            return False
        entry[key] = _yaml_value(key, value)
        return True
    if key == "roles" and value == ("worker",):
        return False  # roles left out already means a worker
    later = FIELD_ORDER[FIELD_ORDER.index(key) + 1:] if key in FIELD_ORDER else ()
    keys = list(entry)
    position = next((keys.index(k) for k in keys if k in later), len(keys))
    if position == len(keys) and keys:
        _move_trailing_comment(entry, keys[-1], entry, key)
    entry.insert(position, key, _yaml_value(key, value))
    return True


def _new_entry(update: PersonUpdate) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = _yaml_value("id", update.id)
    for key in FIELD_ORDER[1:]:
        if key in update.fields:
            entry[key] = _yaml_value(key, update.fields[key])
    for key, value in update.fields.items():
        if key not in entry:
            entry[key] = _yaml_value(key, value)
    return entry


def _append(people: CommentedSeq, entry: CommentedMap) -> None:
    """Append a person; the comment that followed the old last person now follows the new one."""
    if people and isinstance(people[-1], CommentedMap) and people[-1]:
        last = people[-1]
        _move_trailing_comment(last, list(last)[-1], entry, list(entry)[-1])
    people.append(entry)


def _move_trailing_comment(
    source: CommentedMap, source_key: Any, target: CommentedMap, target_key: Any
) -> None:
    """Blank lines and full-line comments after `source_key` (e.g. the next section's heading)
    move after `target_key`; an end-of-line comment stays where it is."""
    slots = source.ca.items.get(source_key)
    if not slots or len(slots) < 3 or not isinstance(slots[2], CommentToken):
        return
    token: CommentToken = slots[2]
    own_line, newline, rest = str(token.value).partition("\n")
    if not rest:
        return
    token.value = own_line + newline
    target.ca.items.setdefault(target_key, [None, None, None, None])[2] = CommentToken(
        "\n" + rest, token.start_mark, None, 0
    )


def validation_errors(
    path: Path, text: str, *, channels: Sequence[ChannelKeys] = ()
) -> list[str]:
    """load_plant's errors for `text` saved as `path`, checked on a temporary copy.

    `channels` declare the chat channels' keys, as for `load_plant`.
    """
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        try:
            load_plant(copy, channels=channels)
        except PlantFileError as exc:
            return PlantFileError(path, exc.errors, exc.lines).messages()
    return []


def write_atomically(path: Path, text: str) -> None:
    """Replace the file in one step: a crash leaves the old file or the new, never half."""
    newline = "\r\n" if b"\r\n" in path.read_bytes() else "\n"
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as out:
            out.write(text)
        os.chmod(temp, path.stat().st_mode)  # mkstemp's 0600 would lock other readers out
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

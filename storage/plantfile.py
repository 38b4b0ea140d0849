"""Loads plant.yaml into a checked Plant, with errors that name the file, the path and the fix."""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Collection, Hashable, Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from core.plant import ChannelKeys, Plant
from storage.plant_accounts import channel_keys_by_holder, file_accounts, map_fields
from storage.plant_escalation import read_escalation

Loc = tuple[str | int, ...]
_SEGMENT = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


class PlantFileError(Exception):
    """plant.yaml cannot be used; `errors` holds (path in the file, what is wrong) pairs."""

    def __init__(
        self, path: Path, errors: list[tuple[str, str]], lines: Mapping[str, int] | None = None
    ) -> None:
        self.path = path
        self.errors = errors
        self.lines = dict(lines or {})
        super().__init__(path, errors)

    def messages(self) -> list[str]:
        """One `FILE: PATH: message` line per error, with the line number when it is known."""
        out = []
        for where, message in self.errors:
            line = self.lines.get(where)
            suffix = f" (line {line})" if line else ""
            prefix = f"{self.path}: {where}: " if where else f"{self.path}: "
            out.append(f"{prefix}{message}{suffix}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.messages())


def load_plant(
    path: Path, *, languages: Collection[str] = (), channels: Sequence[ChannelKeys] = ()
) -> Plant:
    """Read, validate and cross-check a plant file; raise PlantFileError listing every problem.

    `languages` are those the bot has message catalogs for; empty skips that check.
    `channels` declare the keys each chat channel adds to people and teams; without them
    those keys are unknown.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: Windows editors like to add a BOM
    except UnicodeDecodeError:
        raise PlantFileError(path, [("", "not UTF-8 text: save the file as UTF-8")]) from None
    except OSError as exc:
        raise PlantFileError(path, [("", f"cannot read the file: {exc.strerror}")]) from None
    try:
        data, lines = _parse(text)
    except yaml.YAMLError as exc:
        raise PlantFileError(path, [_syntax_error(exc)]) from None
    if not isinstance(data, dict):
        got = "the file is empty" if data is None else f"got {_describe(data)}"
        raise PlantFileError(path, [("", f"expected key: value pairs at the top level; {got}")])

    data, escalation_errors, as_written = read_escalation(data)
    extra = channel_keys_by_holder(channels)
    errors = [(_dotted(loc), message) for loc, message in _unknown_keys(data, Plant, (), extra)]
    filed, wrong_ids = file_accounts(data, channels, _message)
    errors += [(_dotted(loc), message) for loc, message in wrong_ids]
    plant: Plant | None = None
    try:
        plant = _adapter().validate_python(filed)
    except ValidationError as exc:
        errors += [(_dotted(e["loc"]), _message(e)) for e in exc.errors(include_url=False)]
    if plant is not None and not wrong_ids:  # as when the file itself would not validate
        errors += plant.problems(languages=languages)
    errors = [(as_written(where), message) for where, message in errors]
    errors += [(_dotted(loc), message) for loc, message in escalation_errors]
    if errors:
        where = {path_: _line_of(path_, lines) for path_, _ in errors}
        errors.sort(key=lambda e: where[e[0]] or 0)  # file order reads best; stable otherwise
        raise PlantFileError(path, errors, {p: n for p, n in where.items() if n})
    assert plant is not None
    return plant


def check_plant_file(
    path: Path, *, languages: Collection[str] = (), channels: Sequence[ChannelKeys] = ()
) -> list[str]:
    """The formatted error lines for a plant file; empty when it is valid."""
    try:
        load_plant(path, languages=languages, channels=channels)
    except PlantFileError as exc:
        return exc.messages()
    return []


def warning_lines(path: Path, plant: Plant) -> list[str]:
    """The plant's warnings (Plant.warnings) formatted as errors are, in file order."""
    found = plant.warnings()
    if not found:
        return []
    _, lines = _parse(path.read_text(encoding="utf-8-sig"))  # the plant loaded: it parses
    where = {path_: _line_of(path_, lines) for path_, _ in found}
    found.sort(key=lambda w: where[w[0]] or 0)
    return PlantFileError(path, found, {p: n for p, n in where.items() if n}).messages()


@cache
def _adapter() -> TypeAdapter[Plant]:
    return TypeAdapter(Plant)


class _Loader(yaml.SafeLoader):
    """Safe loader refusing a key written twice, which YAML would silently overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # keys merged in with << may be overridden on purpose
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, Hashable):
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} is written twice here", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


def _parse(text: str) -> tuple[object, dict[Loc, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        return loader.construct_document(node), dict(_node_lines(node, (), set()))
    finally:
        loader.dispose()


def _node_lines(node: yaml.Node, loc: Loc, seen: set[int]) -> Iterator[tuple[Loc, int]]:
    if id(node) in seen:
        return  # an alias: walked once already, and walking it again could explode
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield (*loc, key.value), key.start_mark.line + 1
                yield from _node_lines(value, (*loc, key.value), seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield (*loc, i), item.start_mark.line + 1
            yield from _node_lines(item, (*loc, i), seen)


def _line_of(path: str, lines: dict[Loc, int]) -> int | None:
    """The line of a path, or of its nearest parent that is in the file (a missing key has none)."""
    loc: Loc = tuple(int(i) if i else name for i, name in _SEGMENT.findall(path))
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None


def _syntax_error(exc: yaml.YAMLError) -> tuple[str, str]:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return "", f"invalid YAML: {exc}"
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if "'\\t'" in problem:
        problem += " (indent with spaces, not tabs)"
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    return where, f"invalid YAML: {problem}"


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue  # pydantic marks a bad dict key this way; the key itself is the path
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


@cache
def _fields(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    # init=False fields are worked out (Area.class_by_hand), not written: unknown as keys
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if f.init}


def _unknown_keys(
    data: object, tp: Any, loc: Loc, extra: Mapping[type, list[str]]
) -> Iterator[tuple[Loc, str]]:
    """Keys the target dataclasses do not have: pydantic would drop them without a word.

    `extra` are the channels' keys a dataclass also accepts.
    """
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        if len(real) == 1:
            yield from _unknown_keys(data, real[0], loc, extra)
    elif isinstance(tp, type) and dataclasses.is_dataclass(tp) and isinstance(data, dict):
        known, channel_keys = _fields(tp), extra.get(tp, [])
        for key, value in data.items():
            if key in known:
                yield from _unknown_keys(value, known[key], (*loc, key), extra)
            elif key not in channel_keys:
                allowed = _allowed(tp, channel_keys)
                yield (*loc, str(key)), f"unknown key {key!r}{_suggest(str(key), allowed)}"
    elif origin is tuple and isinstance(data, list):
        for i, item in enumerate(data):
            yield from _unknown_keys(item, args[0], (*loc, i), extra)
    elif origin is dict and isinstance(data, dict):
        for key, value in data.items():
            yield from _unknown_keys(value, args[1], (*loc, str(key)), extra)


def _allowed(tp: type, channel_keys: list[str]) -> list[str]:
    """The keys to offer: the channels' keys stand in for the map they fill, the usual way."""
    fields = list(_fields(tp))
    field = map_fields().get(tp)
    if not channel_keys or field not in fields:
        return fields
    at = fields.index(field)
    others = [key for key in channel_keys if key not in fields]  # `email` is a field too
    return [*fields[:at], *others, *fields[at + 1:]]


def _suggest(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(known)})"


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "key: value pairs"
    return f"a {type(value).__name__}"


def _message(error: ErrorDetails) -> str:
    """Pydantic's message in words a safety officer editing the file can act on."""
    kind, value = error["type"], error.get("input")
    got = _describe(value)
    if kind == "missing":
        return "required, but missing"
    if kind == "string_type":
        if isinstance(value, bool):
            return f"expected text, got {got} (YAML reads yes/no/on/off as true/false: quote it)"
        hint = " (put it in quotes)" if isinstance(value, int | float) else ""
        return f"expected text, got {got}{hint}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"expected a number, got {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {got}"
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        what = "unknown key" if error["loc"][-1:] == ("[key]",) else "not allowed:"
        return f"{what} {got}; expected {expected}"
    if kind in ("tuple_type", "list_type"):
        hint = f" (write [{value}] for a single item)" if isinstance(value, str) else ""
        return f"expected a list, got {got}{hint}"
    if kind in ("dict_type", "dataclass_type", "model_type"):
        return f"expected key: value pairs, got {got}"
    return error["msg"][:1].lower() + error["msg"][1:]

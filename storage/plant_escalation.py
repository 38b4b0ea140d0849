"""plant.yaml's `escalation`: the ladder as a list, or `{ladder: [...], email: false}`.

The long form carries the switch for escalation notices on every channel (by e-mail among
them); both forms load into `Plant.escalation` and `Plant.escalation_everywhere`, and errors
name the keys as written, so their lines are found.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Loc = tuple[str | int, ...]
KEYS = ("ladder", "email")
# The field the long form's `email` fills; not a key of the file itself.
FIELD = "escalation_everywhere"


def read_escalation(
    data: Mapping[str, Any],
) -> tuple[dict[str, Any], list[tuple[Loc, str]], Callable[[str], str]]:
    """The data with the long form unfolded into the Plant's fields, what was wrong with it,
    and how to write a path of the unfolded data as the file has it."""
    out: dict[str, Any] = dict(data)
    errors: list[tuple[Loc, str]] = []
    if FIELD in out:
        errors.append(((FIELD,), f"unknown key {FIELD!r} (write escalation: {{email: …}})"))
        del out[FIELD]
    written = out.get("escalation")
    if not isinstance(written, dict):
        return out, errors, _as_is
    for key in written:
        if key not in KEYS:
            where: Loc = ("escalation", str(key))
            errors.append((where, f"unknown key {key!r} (allowed: {', '.join(KEYS)})"))
    del out["escalation"]
    if "ladder" in written:
        out["escalation"] = written["ladder"]
    if "email" in written:
        out[FIELD] = written["email"]
    return out, errors, _long_form


def _as_is(path: str) -> str:
    return path


def _long_form(path: str) -> str:
    if path == FIELD:
        return "escalation.email"
    if path == "escalation" or path.startswith("escalation["):
        return "escalation.ladder" + path[len("escalation"):]
    return path

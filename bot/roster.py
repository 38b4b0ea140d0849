"""`safetyloop people import`, and the diff-check-confirm-write step every roster source shares."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.plantfile import channel_keys, read_plant
from storage.plantfile import PlantFileError
from storage.roster import (
    Merge,
    PersonUpdate,
    merge_people,
    read_plant_text,
    validation_errors,
    write_atomically,
)
from storage.roster_file import RosterFileError, read_roster

Ask = Callable[[str], bool]


def ask_on_terminal(question: str) -> bool:
    """y/N on the terminal; anything but yes is no."""
    try:
        return input(question).strip().casefold() in ("y", "yes")
    except EOFError:
        return False


def import_file(
    path: Path, plant_file: Path, *, yes: bool, ask: Ask | None,
    out: TextIO | None = None, err: TextIO | None = None,
) -> int:
    """Check every row of the file, then propose the merge; 1 when anything is wrong."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        plant = read_plant(plant_file)
        roster = read_roster(path, plant)
    except PlantFileError as exc:
        print("\n".join([*exc.messages(), "fix plant.yaml first; nothing written"]), file=err)
        return 1
    except RosterFileError as exc:
        print(f"{exc}; nothing written", file=err)
        return 1
    if roster.ignored_columns:
        print("columns ignored: " + ", ".join(roster.ignored_columns), file=out)
    if roster.problems:
        print(f"{path.name}: {len(roster.problems)} row(s) with problems; nothing written:",
              file=err)
        print("\n".join(f"  {line}" for line in roster.problems), file=err)
        return 1
    return propose(plant_file, roster.updates, yes=yes, ask=ask, source="the file",
                   out=out, err=err)


def propose(
    plant_file: Path, updates: Sequence[PersonUpdate], *, yes: bool, ask: Ask | None,
    source: str, out: TextIO | None = None, err: TextIO | None = None,
) -> int:
    """Print the diff of plant.yaml and what changes; write only when valid and confirmed."""
    out, err = out or sys.stdout, err or sys.stderr
    merge = merge_people(read_plant_text(plant_file), updates)
    if not merge.changed:
        print(f"{plant_file} already matches {source}: nothing to change", file=out)
        _summary(merge, source, out)
        return 0
    print(merge.diff(str(plant_file)), end="", file=out)
    _summary(merge, source, out)
    errors = validation_errors(plant_file, merge.after, channels=channel_keys())
    if errors:
        print("the merged plant.yaml would not pass validation; nothing written:", file=err)
        print("\n".join(f"  {line}" for line in errors), file=err)
        return 1
    if not yes and not (ask and ask(f"write these changes to {plant_file}? [y/N] ")):
        hint = "" if ask else ": run again with --yes to write them"
        print(f"nothing written{hint}", file=out)
        return 0
    write_atomically(plant_file, merge.after)
    print(f"wrote {plant_file}: {len(merge.added)} added, {len(merge.updated)} updated",
          file=out)
    return 0


def _summary(merge: Merge, source: str, out: TextIO) -> None:
    lines = []
    if merge.added:
        lines.append(f"new ({len(merge.added)}): " + ", ".join(merge.added))
    if merge.updated:
        changes = (f"{pid} ({', '.join(keys)})" for pid, keys in merge.updated.items())
        lines.append(f"updated ({len(merge.updated)}): " + ", ".join(changes))
    if merge.unchanged:
        lines.append(f"unchanged ({len(merge.unchanged)}): " + ", ".join(merge.unchanged))
    if merge.not_in_source:
        lines.append(f"not in {source}, left as they are ({len(merge.not_in_source)}): "
                     + ", ".join(merge.not_in_source))
    print("\n".join(lines), file=out)

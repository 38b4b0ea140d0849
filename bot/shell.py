"""`safetyloop shell`: chat as any person of the plant from a terminal or a script.

Input lines are text, `/command args`, or one of the directives below. After
each line every message anyone received is printed as `[PERSON] text`.
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
import stat
import sys
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from bot.app import App
from bot.channels import CHANNELS
from bot.channels.base import Channel
from bot.channels.terminal import TerminalChannel
from bot.settings import Settings
from core.dialog import Attachment, EventKind, Incoming
from core.durations import parse_duration
from core.geo import GeoPoint
from scheduler import jobs
from scheduler.clock import SettableClock


def shell_channels(settings: Settings, terminal: TerminalChannel) -> dict[str, Channel]:
    """The terminal, then every configured channel that only sends (e-mail when SMTP_HOST is
    set): what the shell prints goes out there too."""
    channels: dict[str, Channel] = {"terminal": terminal}
    for name in CHANNELS:
        sender = getattr(importlib.import_module(f"bot.channels.{name}"), "sender", None)
        if sender is not None and (channel := sender(settings)) is not None:
            channels[name] = channel
    return channels


# `!location`'s tags: a forwarded location, one sent an hour ago, a live location.
LOCATION_TAGS = ("forwarded", "old", "live")
LOCATION_USAGE = "usage: !location LAT LON [ACCURACY_M] [forwarded|old|live]"
OLD = timedelta(hours=1)


class ShellError(Exception):
    """A line the shell cannot understand; the script stops with a non-zero exit."""


def command_event(sender: str, text: str) -> Incoming:
    head, _, args = text.strip().partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return Incoming("terminal", sender, sender, EventKind.COMMAND, text=text, command=name,
                    args=args.strip())


class Shell:
    def __init__(self, app: App, terminal: TerminalChannel, person: str,
                 clock: SettableClock | None = None) -> None:
        self.app, self.terminal, self.person, self.clock = app, terminal, person, clock
        self._check_person(person)

    def _check_person(self, person: str) -> None:
        if self.app.services.plant.person(person) is None:
            raise ShellError(f"unknown person {person!r}")

    async def line(self, text: str) -> None:
        text = text.strip()
        if not text or text.startswith("#"):
            return
        if text.startswith("!"):
            await self._directive(text)
        elif text.startswith("/"):
            await self.app.inlet.handle(command_event(self.person, text))
        else:
            await self.app.inlet.handle(self._event(EventKind.TEXT, text=text))
        await self.app.worker.drain()

    def _event(self, kind: EventKind, **fields: object) -> Incoming:
        return Incoming("terminal", self.person, self.person, kind, **fields)  # type: ignore[arg-type]

    async def _directive(self, text: str) -> None:
        name, _, rest = text[1:].partition(" ")
        rest = rest.strip()
        if name == "photo" and rest:
            await self.app.inlet.handle(self._event(EventKind.PHOTO, attachment=self._file(rest)))
        elif name == "location" and rest:
            await self.app.inlet.handle(self._location(rest))
        elif name == "press" and rest:
            found = self.terminal.button(self.person, rest)
            if found is None:
                raise ShellError(f"{self.person} has no button {rest!r} to press")
            handle, button = found
            await self.app.inlet.handle(self._event(EventKind.BUTTON, button=button.data,
                                                    handle=handle, text=button.label))
        elif name == "button" and rest:
            await self.app.inlet.handle(self._event(EventKind.BUTTON, button=rest))
        elif name == "as" and rest:
            self._check_person(rest)
            self.person = rest
        elif name == "wait" and rest:
            await self._wait(rest)
        else:
            raise ShellError(f"cannot understand {text!r}")

    def _file(self, text: str) -> Attachment:
        """The file at a path as typed: `~` expanded, relative to the shell's folder."""
        try:
            path = Path(text).expanduser()
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                why = "is a folder" if stat.S_ISDIR(info.st_mode) else "is not a regular file"
                raise ShellError(f"cannot read {text}: {why}, not a photo")
            with path.open("rb") as photo:
                if info.st_size > self.app.services.max_photo_bytes:
                    return Attachment(None, info.st_size, path.name)
                return Attachment(photo.read(), info.st_size, path.name)
        except (OSError, RuntimeError, ValueError) as exc:
            # RuntimeError: an unknown `~user`; ValueError: a NUL byte in the path.
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ShellError(f"cannot read {text}: {why}") from exc

    def _location(self, text: str) -> Incoming:
        """`LAT LON [ACCURACY_M] [forwarded|old|live]`: the tag says how it was sent (`old`: an
        hour ago), so a script can try what a check-in must refuse."""
        parts = text.split()
        numbers = list(itertools.takewhile(lambda p: p.lower() not in LOCATION_TAGS, parts))
        tags = [p.lower() for p in parts[len(numbers):]]
        if len(numbers) not in (2, 3) or not set(tags) <= set(LOCATION_TAGS) or (
                len(set(tags)) < len(tags)):
            raise ShellError(LOCATION_USAGE)
        try:
            point = GeoPoint(*(float(p) for p in numbers))
        except ValueError as exc:
            raise ShellError(f"not a location: {text!r}") from exc
        sent_at = self.app.services.clock.now() - (OLD if "old" in tags else timedelta())
        return self._event(EventKind.LOCATION, location=point, sent_at=sent_at,
                           forwarded="forwarded" in tags, live="live" in tags)

    async def _wait(self, text: str) -> None:
        if self.clock is None:
            raise ShellError("!wait needs --clock sim")
        try:
            span = parse_duration(text)
        except ValueError as exc:
            raise ShellError(str(exc)) from exc
        until = self.clock.now() + span
        jobs.run_until(self.app.services, self.clock, until)
        await self.app.worker.drain()


async def run_script(shell: Shell, lines: Iterable[str]) -> int:
    for number, text in enumerate(lines, start=1):
        try:
            await shell.line(text)
        except ShellError as exc:
            print(f"line {number}: {exc}", file=sys.stderr)
            return 2
    return 0


USAGE = ("chat as {person}: /help for commands; !photo PATH, !location LAT LON, !press N, "
         "!as PERSON, !wait 2h (--clock sim runs in real time and jumps ahead on !wait); "
         "Ctrl-D quits")


async def run_interactive(shell: Shell) -> int:
    print(USAGE.format(person=shell.person), file=sys.stderr)
    while True:
        try:
            text = await asyncio.to_thread(input, f"{shell.person}> ")
        except EOFError:
            return 0
        try:
            await shell.line(text)
        except ShellError as exc:
            print(exc, file=sys.stderr)

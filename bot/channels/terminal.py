"""The terminal channel: everyone's messages printed as `[PERSON] text`, buttons numbered;
attached files kept under the data directory and printed as `📎 name.pdf (12 KB)`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from core.blobs import StoredFile
from core.messages import Button, OutMessage


class TerminalChannel:
    name = "terminal"

    def __init__(self, write: Callable[[str], None] = print, *, files: Path | None = None) -> None:
        self.write, self.files = write, files
        self.last_buttons: dict[str, tuple[str, tuple[Button, ...]]] = {}
        self._sequence = 0

    async def send(
        self, message: OutMessage, image: bytes | None, attachment: bytes | None = None,
    ) -> str:
        if message.edit and not message.text:
            # Only the buttons of a printed message would change: printed lines stay as they are.
            return message.edit
        self._sequence += 1
        handle = str(self._sequence)
        prefix = f"[{message.address}] "
        lines = message.text.splitlines() or ([] if message.attachment else [""])
        if message.edit:
            lines[0] = f"✎ {lines[0]}"
        if message.image:
            lines.append(f"🖼 {message.image[:12]} ({len(image or b'') // 1024} KB)")
        if message.attachment:
            await asyncio.to_thread(self._keep, message.attachment, attachment)
            lines.append(f"📎 {message.attachment.name} ({message.attachment.kilobytes} KB)")
        if message.buttons:
            lines.append("  ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, 1)))
            # Pressed buttons stay pressable, like a chat client that has not refreshed yet.
            self.last_buttons[message.address] = (handle, message.buttons)
        for line in lines:
            self.write(prefix + line)
        return handle

    def _keep(self, attachment: StoredFile, data: bytes | None) -> None:
        """Save the file under its own name, as a chat app's downloads folder would."""
        if self.files is None or data is None:
            return
        self.files.mkdir(parents=True, exist_ok=True)
        name = Path(safe_name(attachment.name))
        target, number = self.files / name, 1
        while target.exists() and target.read_bytes() != data:  # another file of that name
            number += 1
            target = self.files / f"{name.stem} ({number}){name.suffix}"
        if not target.exists():
            target.write_bytes(data)

    def button(self, person: str, choice: str) -> tuple[str, Button] | None:
        """The button `choice` (its number or label) of the last message with buttons."""
        handle, buttons = self.last_buttons.get(person, ("", ()))
        if choice.isdigit() and 1 <= int(choice) <= len(buttons):
            return handle, buttons[int(choice) - 1]
        match = next((b for b in buttons if b.label == choice), None)
        return (handle, match) if match else None


def safe_name(name: str) -> str:
    """The file name alone: no folders, nothing hidden, never empty."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return base or "file"

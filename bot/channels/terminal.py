"""The terminal channel: everyone's messages printed as `[PERSON] text`, buttons numbered."""

from __future__ import annotations

from collections.abc import Callable

from core.messages import Button, OutMessage


class TerminalChannel:
    name = "terminal"

    def __init__(self, write: Callable[[str], None] = print) -> None:
        self.write = write
        self.last_buttons: dict[str, tuple[str, tuple[Button, ...]]] = {}
        self._sequence = 0

    async def send(self, message: OutMessage, image: bytes | None) -> str:
        if message.edit and not message.text:
            # Only the buttons of a printed message would change: printed lines stay as they are.
            return message.edit
        self._sequence += 1
        handle = str(self._sequence)
        prefix = f"[{message.address}] "
        lines = message.text.splitlines() or [""]
        if message.edit:
            lines[0] = f"✎ {lines[0]}"
        if message.image:
            lines.append(f"🖼 {message.image[:12]} ({len(image or b'') // 1024} KB)")
        if message.buttons:
            lines.append("  ".join(f"[{i}] {b.label}" for i, b in enumerate(message.buttons, 1)))
            # Pressed buttons stay pressable, like a chat client that has not refreshed yet.
            self.last_buttons[message.address] = (handle, message.buttons)
        for line in lines:
            self.write(prefix + line)
        return handle

    def button(self, person: str, choice: str) -> tuple[str, Button] | None:
        """The button `choice` (its number or label) of the last message with buttons."""
        handle, buttons = self.last_buttons.get(person, ("", ()))
        if choice.isdigit() and 1 <= int(choice) <= len(buttons):
            return handle, buttons[int(choice) - 1]
        match = next((b for b in buttons if b.label == choice), None)
        return (handle, match) if match else None

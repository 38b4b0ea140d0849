"""Bot API object shapes (users, chats, entities, files) for the fake Telegram server."""

from __future__ import annotations

import io
import itertools
import re
import uuid
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]

# Telegram counts command names up to 32 characters and usernames 5-32; be lenient on the latter.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_DEFAULT_SIZE = (1280, 960)


@dataclass(frozen=True)
class FakeUser:
    """A simulated Telegram user (or the bot itself)."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "zh-hans"
    last_name: str | None = None
    is_bot: bool = False

    def to_dict(self) -> JSON:
        """Return the Bot API `User` object."""
        data: JSON = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name is not None:
            data["last_name"] = self.last_name
        if self.username is not None:
            data["username"] = self.username
        if self.language_code is not None and not self.is_bot:
            data["language_code"] = self.language_code
        return data


@dataclass(frozen=True)
class FakeChat:
    """A simulated chat: private, group or supergroup."""

    id: int
    type: str
    title: str | None = None
    first_name: str | None = None
    username: str | None = None

    def to_dict(self) -> JSON:
        """Return the Bot API `Chat` object."""
        data: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "first_name", "username"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


@dataclass
class StoredFile:
    """A file the fake server knows: uploaded by the bot or sent by a simulated user."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None

    def to_dict(self) -> JSON:
        """Return the Bot API `File` object (relative `file_path`, as Telegram sends it)."""
        result: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.data is not None:
            result["file_size"] = len(self.data)
        result["file_path"] = self.file_path
        return result


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[JSON]:
    """Return `bot_command` entities for every `/command` or `/command@bot` token."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def chat_instance(chat_id: int) -> str:
    """A stable opaque chat_instance string per chat, like Telegram's signed 64-bit numbers."""
    return str((chat_id * 6364136223846793005 + 1442695040888963407) % 2**63 - 2**62)


class FileIds:
    """Issues unique file ids and paths."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def new(self, kind: str, extension: str, data: bytes | None) -> StoredFile:
        """Create a new stored file of the given kind ("photos", "documents", ...)."""
        number = next(self._counter)
        token = uuid.uuid4().hex
        prefix = "AgACAgIAAxkBAAI" if kind == "photos" else "BQACAgIAAxkBAAI"
        return StoredFile(
            file_id=f"{prefix}{number:04d}{token}",
            file_unique_id=f"AQAD{number:04d}{token[:8]}",
            file_path=f"{kind}/file_{number}.{extension}",
            data=data,
        )


def image_size(data: bytes | None) -> tuple[int, int]:
    """Pixel size of an image, or a typical phone-photo size when it is not one."""
    if not data:
        return _DEFAULT_SIZE
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is a project dependency
        return _DEFAULT_SIZE
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return _DEFAULT_SIZE


def photo_sizes(files: FileIds, data: bytes | None) -> tuple[list[JSON], list[StoredFile]]:
    """Build 2-3 `PhotoSize` entries (smallest first, original last) and their stored files."""
    width, height = image_size(data)
    longest = max(width, height, 1)
    edges = [edge for edge in (90, 320) if edge < longest] or [max(longest // 2, 1)]
    dims = [(max(width * e // longest, 1), max(height * e // longest, 1)) for e in edges]
    dims.append((width, height))
    sizes: list[JSON] = []
    stored: list[StoredFile] = []
    for w, h in dims:
        # Every size serves the original bytes: tests compare downloads with what was sent.
        record = files.new("photos", "jpg", data)
        size: JSON = {
            "file_id": record.file_id,
            "file_unique_id": record.file_unique_id,
            "width": w,
            "height": h,
        }
        if data is not None:
            size["file_size"] = len(data)
        sizes.append(size)
        stored.append(record)
    return sizes, stored


def document_dict(record: StoredFile, file_name: str | None, mime_type: str | None) -> JSON:
    """Return the Bot API `Document` object for a stored file."""
    doc: JSON = {"file_id": record.file_id, "file_unique_id": record.file_unique_id}
    if file_name:
        doc["file_name"] = file_name
    if mime_type:
        doc["mime_type"] = mime_type
    if record.data is not None:
        doc["file_size"] = len(record.data)
    return doc


def extension_of(file_name: str | None, default: str = "bin") -> str:
    """File extension used in generated file paths."""
    if file_name and "." in file_name:
        return file_name.rsplit(".", 1)[1].lower()[:8] or default
    return default

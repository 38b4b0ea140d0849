"""Content-addressed files of any kind, kept to be sent with messages (`core.ports.BlobStore`)."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path

from core.blobs import StoredFile
from storage.files import write_atomic

_KEY = re.compile(r"[0-9a-f]{64}")
FALLBACK_MIME = "application/octet-stream"
# The types the modules send, known here whatever the machine's mime.types says.
_KNOWN = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def guess_mime(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return _KNOWN.get(suffix) or mimetypes.guess_type(name)[0] or FALLBACK_MIME


class FileBlobStore:
    """Files under root/ab/abcdef…, named by the SHA-256 of their bytes; names live in messages."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def put(self, data: bytes, *, name: str, mime: str | None = None) -> StoredFile:
        key = hashlib.sha256(data).hexdigest()
        target = self.path(key)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
        return StoredFile(key=key, name=name, mime=mime or guess_mime(name), size=len(data))

    def read(self, key: str) -> bytes:
        return self.path(key).read_bytes()

    def path(self, key: str) -> Path:
        """Where a file lives; ValueError unless the key is 64 lowercase hex characters."""
        if not isinstance(key, str) or _KEY.fullmatch(key) is None:
            raise ValueError("a blob key is 64 lowercase hexadecimal characters")
        return self._root / key[:2] / key

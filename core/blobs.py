"""Files sent with messages (a PDF report, an XLSX ledger, a picture): kept by content, sent
with the name the reader sees."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoredFile:
    """A stored file: `key` finds its bytes in the blob store (the SHA-256 of the content)."""

    key: str
    name: str
    mime: str
    size: int

    @property
    def kilobytes(self) -> int:
        """The size as people read it: any started kilobyte counts, so no file shows 0 KB."""
        return max(1, -(-self.size // 1024))

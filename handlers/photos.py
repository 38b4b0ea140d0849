"""Taking a photo from a chat: size and content checks, with a polite word for each refusal."""

from __future__ import annotations

from core.dialog import EventKind, Incoming
from core.photos import PhotoRejected, StoredPhoto
from handlers.context import Turn


def accept(turn: Turn, event: Incoming) -> StoredPhoto | None:
    """The stored photo, or None after telling the person why it was not taken."""
    attachment = event.attachment
    if event.kind not in (EventKind.PHOTO, EventKind.DOCUMENT) or attachment is None:
        turn.reply("photo.expected")
        return None
    limit_mb = turn.services.max_photo_bytes // (1024 * 1024)
    if attachment.data is None or attachment.size > turn.services.max_photo_bytes:
        turn.reply("photo.too_large", limit=limit_mb)
        return None
    try:
        return turn.services.photos.store(attachment.data)
    except PhotoRejected as rejected:
        turn.reply(f"photo.{rejected.reason}", limit=limit_mb)
        return None

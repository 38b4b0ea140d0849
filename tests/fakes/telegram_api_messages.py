"""Bot API methods that send, edit and delete messages, answer buttons and serve files."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from tests.fakes.telegram_objects import (
    JSON,
    FakeChat,
    document_dict,
    extension_of,
    photo_sizes,
)
from tests.fakes.telegram_params import (
    ApiError,
    Upload,
    as_bool,
    as_int,
    as_json,
    as_str,
    bad_request,
    require_int,
)
from tests.fakes.telegram_state import MessageKey, TelegramState
from tests.fakes.telegram_text import check_length, check_markup, render

Handler = Callable[[dict[str, Any]], Awaitable[Any]]
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class MessageApi:
    """sendMessage, sendPhoto, sendDocument, edits, deleteMessage, callbacks and getFile."""

    def __init__(self, state: TelegramState) -> None:
        self.state = state

    def handlers(self) -> dict[str, Handler]:
        """Handlers by lower-case method name (Telegram matches method names case-insensitively)."""
        return {
            "sendmessage": self.send_message,
            "sendphoto": self.send_photo,
            "senddocument": self.send_document,
            "sendchataction": self.send_chat_action,
            "editmessagetext": self.edit_message_text,
            "editmessagecaption": self.edit_message_caption,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "deletemessage": self.delete_message,
            "answercallbackquery": self.answer_callback_query,
            "getfile": self.get_file,
        }

    async def send_message(self, params: dict[str, Any]) -> JSON:
        """Send a text message."""
        chat = self._target_chat(params)
        raw = as_str(params, "text") or ""
        parse_mode = as_str(params, "parse_mode")
        text = render(raw, parse_mode)
        check_length(text, caption=False)
        extras = {"raw_text": raw, "parse_mode": parse_mode}
        return self._store_bot_message(chat, params, {"text": text}, extras)

    async def send_photo(self, params: dict[str, Any]) -> JSON:
        """Send a photo uploaded in the request or referenced by file_id."""
        chat = self._target_chat(params)
        photo = params.get("photo")
        if isinstance(photo, Upload):
            data: bytes | None = photo.data
            sizes = self._new_photo(photo.data)
        elif isinstance(photo, str) and photo in self.state.photo_groups:
            data = self.state.file_bytes(photo)
            sizes = copy.deepcopy(self.state.photo_groups[photo])
        elif isinstance(photo, str) and photo in self.state.files:
            data = self.state.file_bytes(photo)
            sizes = self._new_photo(data)
        elif isinstance(photo, str) and photo.startswith(("http://", "https://")):
            data, sizes = None, self._new_photo(None)
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        extra, extras = self._caption(params)
        extras["file_bytes"] = data
        return self._store_bot_message(chat, params, {"photo": sizes, **extra}, extras)

    async def send_document(self, params: dict[str, Any]) -> JSON:
        """Send a document uploaded in the request or referenced by file_id."""
        chat = self._target_chat(params)
        document = params.get("document")
        if isinstance(document, Upload):
            kind_ext = extension_of(document.filename)
            record = self.state.file_ids.new("documents", kind_ext, document.data)
            self.state.store_file(record)
            doc = document_dict(record, document.filename, document.content_type)
        elif isinstance(document, str) and document in self.state.files:
            record = self.state.files[document]
            doc = document_dict(record, record.file_path.rsplit("/", 1)[-1], None)
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        extra, extras = self._caption(params)
        extras["file_bytes"] = record.data
        return self._store_bot_message(chat, params, {"document": doc, **extra}, extras)

    async def send_chat_action(self, params: dict[str, Any]) -> bool:
        """Show "typing…" and the like."""
        self._target_chat(params)
        return True

    async def edit_message_text(self, params: dict[str, Any]) -> JSON | bool:
        """Edit a text message; an edit without reply_markup removes the inline keyboard."""
        raw = as_str(params, "text") or ""
        parse_mode = as_str(params, "parse_mode")
        text = render(raw, parse_mode)
        check_length(text, caption=False)
        return self._edit(params, "editMessageText", "text", text, raw, parse_mode)

    async def edit_message_caption(self, params: dict[str, Any]) -> JSON | bool:
        """Edit the caption of a media message."""
        raw = as_str(params, "caption") or ""
        parse_mode = as_str(params, "parse_mode")
        caption = render(raw, parse_mode)
        check_length(caption, caption=True)
        return self._edit(params, "editMessageCaption", "caption", caption, raw, parse_mode)

    async def edit_message_reply_markup(self, params: dict[str, Any]) -> JSON | bool:
        """Replace (or, when absent, remove) the inline keyboard."""
        return self._edit(params, "editMessageReplyMarkup", None, None, None, None)

    async def delete_message(self, params: dict[str, Any]) -> bool:
        """Delete a message (the bot's, or a user's where the bot may)."""
        key = (require_int(params, "chat_id"), require_int(params, "message_id"))
        if key not in self.state.messages or key in self.state.deleted:
            raise bad_request("message to delete not found")
        self.state.deleted.add(key)
        self.state.notify()
        return True

    async def answer_callback_query(self, params: dict[str, Any]) -> bool:
        """Answer a button press once; unknown or repeated answers fail like on Telegram."""
        query_id = as_str(params, "callback_query_id") or ""
        if self.state.open_callbacks.pop(query_id, None) is None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.state.answered_callbacks.append(
            {
                "callback_query_id": query_id,
                "text": as_str(params, "text"),
                "show_alert": as_bool(params, "show_alert"),
                "url": as_str(params, "url"),
                "cache_time": as_int(params, "cache_time"),
            }
        )
        self.state.notify()
        return True

    async def get_file(self, params: dict[str, Any]) -> JSON:
        """Return a `File` whose file_path downloads from /file/bot<token>/<file_path>."""
        record = self.state.files.get(as_str(params, "file_id") or "")
        if record is None:
            raise bad_request("invalid file_id")
        return record.to_dict()

    def _target_chat(self, params: dict[str, Any]) -> FakeChat:
        chat_id = require_int(params, "chat_id")
        chat = self.state.chat(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        if chat_id in self.state.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _new_photo(self, data: bytes | None) -> list[JSON]:
        sizes, records = photo_sizes(self.state.file_ids, data)
        for record in records:
            self.state.store_file(record)
            self.state.photo_groups[record.file_id] = sizes
        return copy.deepcopy(sizes)

    def _caption(self, params: dict[str, Any]) -> tuple[JSON, JSON]:
        raw = as_str(params, "caption")
        parse_mode = as_str(params, "parse_mode")
        if raw is None:
            return {}, {"raw_text": None, "parse_mode": parse_mode}
        caption = render(raw, parse_mode)
        check_length(caption, caption=True)
        return {"caption": caption}, {"raw_text": raw, "parse_mode": parse_mode}

    def _store_bot_message(
        self, chat: FakeChat, params: dict[str, Any], content: JSON, extras: JSON
    ) -> JSON:
        markup = as_json(params, "reply_markup")
        check_markup(markup)
        replied = self._replied(chat.id, params)
        message: JSON = {
            "message_id": self.state.new_message_id(chat.id),
            "from": self.state.bot_user.to_dict(),
            "chat": chat.to_dict(),
            "date": self.state.now(),
        }
        if replied is not None:
            message["reply_to_message"] = replied
        message.update(content)
        if _is_inline(markup):
            # Messages only ever carry inline keyboards; reply keyboards live on the client.
            message["reply_markup"] = markup
        key = (chat.id, message["message_id"])
        self.state.messages[key] = message
        self.state.extras[key] = {"reply_markup": markup, "file_bytes": None, **extras}
        self.state.bot_messages.setdefault(chat.id, []).append(message["message_id"])
        self.state.notify()
        return copy.deepcopy(message)

    def _replied(self, chat_id: int, params: dict[str, Any]) -> JSON | None:
        reply = as_json(params, "reply_parameters") or {}
        message_id = reply.get("message_id") or as_int(params, "reply_to_message_id")
        if not message_id:
            return None
        stored = self.state.messages.get((chat_id, int(message_id)))
        if stored is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {k: copy.deepcopy(v) for k, v in stored.items() if k != "reply_to_message"}

    def _edit(
        self,
        params: dict[str, Any],
        method: str,
        field: str | None,
        value: str | None,
        raw: str | None,
        parse_mode: str | None,
    ) -> JSON | bool:
        markup = as_json(params, "reply_markup")
        check_markup(markup)
        edit: JSON = {"method": method, "reply_markup": markup}
        if field:
            edit[field] = value
        if params.get("inline_message_id"):
            # Inline messages are not stored; Telegram answers True for them.
            self.state.edits.append({**edit, "inline_message_id": params["inline_message_id"]})
            self.state.notify()
            return True
        key = self._editable_key(params)
        message = self.state.messages[key]
        extras = self.state.extras.setdefault(key, {})
        new_inline = markup if _is_inline(markup) else None
        if field == "caption" and not any(k in message for k in _MEDIA):
            raise bad_request("there is no caption in the message to edit")
        if field == "text" and "text" not in message:
            raise bad_request("there is no text in the message to edit")
        same_content = field is None or (
            message.get(field) == value and extras.get("raw_text") == raw
        )
        if same_content and message.get("reply_markup") == new_inline:
            raise bad_request(NOT_MODIFIED)
        if field:
            message[field] = value
            extras.update(raw_text=raw, parse_mode=parse_mode)
        if new_inline is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = new_inline
        extras["reply_markup"] = markup
        message["edit_date"] = self.state.now()
        self.state.edits.append({**edit, "chat_id": key[0], "message_id": key[1]})
        self.state.notify()
        return copy.deepcopy(message)

    def _editable_key(self, params: dict[str, Any]) -> MessageKey:
        key = (require_int(params, "chat_id"), require_int(params, "message_id"))
        if key not in self.state.messages or key in self.state.deleted:
            raise bad_request("message to edit not found")
        sender = self.state.messages[key].get("from", {})
        if sender.get("id") != self.state.bot_user.id:
            raise bad_request("message can't be edited")
        return key


_MEDIA = ("photo", "document", "video", "audio", "animation", "voice")


def _is_inline(markup: Any) -> bool:
    return isinstance(markup, dict) and "inline_keyboard" in markup

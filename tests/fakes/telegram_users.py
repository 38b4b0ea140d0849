"""Simulated users: create chats and inject the updates Telegram would deliver to the bot."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes.telegram_objects import (
    JSON,
    FakeChat,
    FakeUser,
    chat_instance,
    command_entities,
    document_dict,
    extension_of,
    photo_sizes,
)
from tests.fakes.telegram_state import TelegramState
from tests.fakes.telegram_text import callback_data_of


class UserSimulator(TelegramState):
    """Adds the user side: people, chats and update injection."""

    def user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str | None = "zh-hans",
        last_name: str | None = None,
    ) -> FakeUser:
        """A simulated person."""
        return FakeUser(user_id, first_name, username, language_code, last_name)

    def private_chat(self, user: FakeUser) -> FakeChat:
        """The user's private chat with the bot (known to the server from now on)."""
        chat = FakeChat(user.id, "private", first_name=user.first_name, username=user.username)
        self.chats[chat.id] = chat
        return chat

    def group(self, chat_id: int, title: str) -> FakeChat:
        """A group the bot is in; `-100…` ids are supergroups, like on Telegram."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = FakeChat(chat_id, kind, title=title)
        self.chats[chat.id] = chat
        return chat

    def block(self, user: FakeUser) -> None:
        """The user blocks the bot: sends to their chat answer 403."""
        self.blocked.add(user.id)

    def unblock(self, user: FakeUser) -> None:
        """The user unblocks the bot."""
        self.blocked.discard(user.id)

    def send_text(
        self,
        user: FakeUser,
        chat: FakeChat,
        text: str,
        *,
        reply_to: JSON | None = None,
        forward_origin: JSON | None = None,
    ) -> JSON:
        """The user sends a text; `/commands` get `bot_command` entities."""
        extra: JSON = {"text": text}
        entities = command_entities(text) if forward_origin is None else []
        if entities:
            extra["entities"] = entities
        return self._user_message(user, chat, extra, reply_to, forward_origin)

    def send_photo(
        self,
        user: FakeUser,
        chat: FakeChat,
        image: bytes,
        caption: str | None = None,
        *,
        reply_to: JSON | None = None,
    ) -> JSON:
        """The user sends a compressed photo; every size downloads as `image`."""
        sizes, records = photo_sizes(self.file_ids, image)
        for record in records:
            self.store_file(record)
            self.photo_groups[record.file_id] = sizes
        extra: JSON = {"photo": sizes}
        if caption is not None:
            extra["caption"] = caption
        return self._user_message(user, chat, extra, reply_to, None)

    def send_document(
        self,
        user: FakeUser,
        chat: FakeChat,
        data: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
    ) -> JSON:
        """The user sends a file (keeps EXIF, unlike photos)."""
        record = self.store_file(self.file_ids.new("documents", extension_of(file_name), data))
        extra: JSON = {"document": document_dict(record, file_name, mime_type)}
        if caption is not None:
            extra["caption"] = caption
        return self._user_message(user, chat, extra, None, None)

    def send_location(
        self,
        user: FakeUser,
        chat: FakeChat,
        lat: float,
        lon: float,
        horizontal_accuracy: float | None = None,
        live_period: int | None = None,
        *,
        forward_origin: JSON | None = None,
    ) -> JSON:
        """The user shares a (possibly live or forwarded) location."""
        location: JSON = {"latitude": lat, "longitude": lon}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        if live_period is not None:
            location["live_period"] = live_period
        return self._user_message(user, chat, {"location": location}, None, forward_origin)

    def forward_location(
        self,
        user: FakeUser,
        chat: FakeChat,
        lat: float,
        lon: float,
        *,
        origin_user: FakeUser | None = None,
        origin_name: str | None = None,
    ) -> JSON:
        """The user forwards someone else's location (origin user, or a hidden user's name)."""
        origin: JSON = {"date": self.now() - 60}
        if origin_user is not None:
            origin.update(type="user", sender_user=origin_user.to_dict())
        else:
            origin.update(type="hidden_user", sender_user_name=origin_name or "Hidden")
        return self.send_location(user, chat, lat, lon, forward_origin=origin)

    def move_live_location(self, message: JSON, lat: float, lon: float) -> JSON:
        """A live location moves: Telegram sends an `edited_message`."""
        key = (message["chat"]["id"], message["message_id"])
        stored = self.messages[key]
        stored["location"] = {**stored["location"], "latitude": lat, "longitude": lon}
        stored["edit_date"] = self.now()
        return self._queue({"edited_message": copy.deepcopy(stored)})

    def send_contact(
        self,
        user: FakeUser,
        chat: FakeChat,
        phone_number: str,
        own: bool = True,
        *,
        first_name: str | None = None,
    ) -> JSON:
        """The user shares a contact; their own (via request_contact) carries their user_id."""
        contact: JSON = {"phone_number": phone_number}
        if own:
            contact["first_name"] = user.first_name
            if user.last_name:
                contact["last_name"] = user.last_name
            contact["user_id"] = user.id
        else:
            contact["first_name"] = first_name or "Contact"
        return self._user_message(user, chat, {"contact": contact}, None, None)

    def press(
        self, user: FakeUser, message: JSON, callback_data: str, *, strict: bool = True
    ) -> JSON:
        """The user presses an inline button of a bot message (as currently shown)."""
        key = (message["chat"]["id"], message["message_id"])
        if key not in self.messages or key in self.deleted:
            raise ValueError(f"message {key} does not exist (deleted or never sent)")
        current = self.messages[key]
        if strict and callback_data not in callback_data_of(current.get("reply_markup")):
            raise ValueError(f"no button with callback_data {callback_data!r} on message {key}")
        query_id = self.new_callback_id()
        query: JSON = {
            "id": query_id,
            "from": user.to_dict(),
            "message": copy.deepcopy(current),
            "chat_instance": chat_instance(key[0]),
            "data": callback_data,
        }
        self.open_callbacks[query_id] = query
        return self._queue({"callback_query": query})

    def inject_raw(self, update: JSON) -> JSON:
        """Queue an update exactly as given (e.g. the same update_id twice)."""
        raw = copy.deepcopy(update)
        raw.setdefault("update_id", self.new_update_id())
        self.updates.append(raw)
        self.notify()
        return copy.deepcopy(raw)

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by a getUpdates offset."""
        return copy.deepcopy(self.updates)

    def _user_message(
        self,
        user: FakeUser,
        chat: FakeChat,
        extra: JSON,
        reply_to: JSON | None,
        forward_origin: JSON | None,
    ) -> JSON:
        self.chats.setdefault(chat.id, chat)
        message: JSON = {
            "message_id": self.new_message_id(chat.id),
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": self.now(),
        }
        if forward_origin is not None:
            message["forward_origin"] = forward_origin
        if reply_to is not None:
            message["reply_to_message"] = self._replied(reply_to)
        message.update(extra)
        self.messages[(chat.id, message["message_id"])] = message
        return self._queue({"message": copy.deepcopy(message)})

    def _replied(self, message: JSON) -> JSON:
        # Use the stored Bot API shape: views carry extra keys; Telegram nests one level only.
        stored = self.messages.get((message["chat"]["id"], message["message_id"]), message)
        return {k: copy.deepcopy(v) for k, v in stored.items() if k != "reply_to_message"}

    def _queue(self, payload: JSON) -> JSON:
        update: dict[str, Any] = {"update_id": self.new_update_id(), **payload}
        self.updates.append(update)
        self.notify()
        return copy.deepcopy(update)

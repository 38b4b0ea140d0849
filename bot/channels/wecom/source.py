"""Stored WeCom callbacks turned into events for the drain, one user's in order.

The endpoint answered WeCom at once and left the decrypted XML in the inbound queue;
here a callback becomes an event, its photo downloaded on the way (media ids live three
days). A photo that cannot be fetched while WeCom is down waits, and keeps its place.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.channels.wecom.api import WecomApi
from bot.channels.wecom.callback import WecomInbound, parse
from bot.channels.wecom.errors import WecomApiError, WecomRateLimited, WecomUnavailable
from bot.channels.wecom.inbound import CHANNEL, to_incoming
from bot.inlet import Inlet, NotYet
from core.dialog import Attachment, Incoming

log = logging.getLogger(__name__)


class WecomSource:
    """What the drain asks of WeCom: the user of a stored callback, and its event."""

    channel = CHANNEL

    def __init__(self, api: WecomApi, inlet: Inlet, *, datum: str) -> None:
        self.api, self.inlet, self.datum = api, inlet, datum

    def chat_of(self, payload: str) -> str:
        try:
            return parse(payload).from_user  # apps hear only 1:1 chats: the user is the chat
        except ValueError:
            return ""

    async def event_of(self, payload: str) -> Incoming | None:
        try:
            msg = parse(payload)
        except ValueError:
            log.warning("dropping an unparseable WeCom callback")
            return None
        event = to_incoming(msg, datum=self.datum)
        if event is None or await self.inlet.handled(CHANNEL, event.update_key):
            return None
        if msg.kind == "image":
            event = replace(event, attachment=await self._photo(msg))
        return event

    async def _photo(self, msg: WecomInbound) -> Attachment | None:
        """The photo; None for a stranger's (fetched for nobody) or one lost for good."""
        if not msg.media_id or not await self.inlet.knows(CHANNEL, msg.from_user):
            return None  # a stranger only gets told how to get access: fetch nothing
        try:
            media = await self.api.download_media(msg.media_id, self.inlet.max_photo_bytes)
        except (WecomUnavailable, WecomRateLimited) as down:
            raise NotYet(f"cannot fetch a photo yet: {down}") from down
        except WecomApiError as exc:  # expired or unknown media: the person is asked again
            log.warning("photo %s from %s is lost: %s", msg.media_id, msg.from_user, exc)
            return None
        return Attachment(media.data, media.size, media.filename, media.content_type)

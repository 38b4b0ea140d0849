"""Works through the callbacks the endpoint stored, in arrival order, each exactly once.

The endpoint answers WeCom at once and leaves the decrypted XML in the durable inbound
queue; this worker downloads photos, turns each callback into an Incoming and hands it
to the app. A row is marked done only after the app committed, so a crash in between
loses nothing, and the inbox check makes the replay harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.channels.wecom_api import WecomApi
from bot.channels.wecom_callback import WecomInbound, parse
from bot.channels.wecom_cards import decode_key, shorten
from bot.channels.wecom_errors import WecomApiError, WecomRateLimited, WecomUnavailable
from bot.channels.wecom_inbound import CHANNEL, to_incoming
from core.dialog import Attachment, Incoming
from core.messages import OutMessage
from storage.inbound_queue import Inbound, SqlInboundQueue

if TYPE_CHECKING:
    from bot.app import App

log = logging.getLogger(__name__)

MAX_RETRY_S = 60.0
IDLE_S = 30.0
MAX_CHOSEN_CHARS = 24


class WecomInbox:
    """The callback worker: one per process, woken by the endpoint after each stored POST."""

    def __init__(self, api: WecomApi, *, datum: str) -> None:
        self.api, self.datum = api, datum
        self._app: App | None = None
        self._wake = asyncio.Event()
        self._failures = 0

    def attach(self, app: App) -> None:
        self._app = app

    @property
    def app(self) -> App:
        if self._app is None:
            raise RuntimeError("WecomInbox used before attach(app)")
        return self._app

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        """Process leftovers first, then whatever the endpoint stores, until cancelled."""
        while True:
            try:
                await self.drain()
            except Exception:  # the database may be briefly unavailable: try again later
                log.exception("processing WeCom callbacks failed")
                self._failures += 1
            wait = self.retry_s() if self._failures else IDLE_S
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            self._wake.clear()

    def retry_s(self) -> float:
        return min(2.0 ** self._failures, MAX_RETRY_S)

    async def drain(self) -> int:
        """Handle every stored callback; stops early (keeping order) when WeCom is down."""
        queue = SqlInboundQueue(self.app.engine)
        handled = 0
        while rows := queue.pending(CHANNEL):
            for row in rows:
                if not await self._process(row):
                    return handled
                queue.done(row.id)
                handled += 1
        self._failures = 0
        return handled

    async def _process(self, row: Inbound) -> bool:
        """False when the row must wait (a photo could not be fetched yet)."""
        try:
            msg = parse(row.payload)
        except ValueError:
            log.warning("dropping unparseable WeCom callback %s", row.id)
            return True
        event = to_incoming(msg, datum=self.datum)
        if event is None or self.app.handled(CHANNEL, event.update_key):
            return True
        if msg.kind == "image":
            try:
                event = replace(event, attachment=await self._photo(msg))
            except (WecomUnavailable, WecomRateLimited) as exc:
                self._failures += 1
                log.warning("cannot fetch a photo yet (%s); retrying in %.0fs", exc, self.retry_s())
                return False
        self.app.handle(event)
        self._grey_out(msg, event)
        return True

    def _known(self, user: str) -> bool:
        with self.app.services.uow() as uow:
            return uow.directory.person_for(CHANNEL, user) is not None

    async def _photo(self, msg: WecomInbound) -> Attachment | None:
        """The photo, fetched now (media ids live 3 days); None for strangers or lost media."""
        if not msg.media_id or not self._known(msg.from_user):
            return None  # a stranger only gets told how to get access: fetch nothing
        try:
            media = await self.api.download_media(msg.media_id, self.app.services.max_photo_bytes)
        except (WecomUnavailable, WecomRateLimited):
            raise
        except WecomApiError as exc:  # expired or unknown media: the person is asked again
            log.warning("photo %s from %s is lost: %s", msg.media_id, msg.from_user, exc)
            return None
        return Attachment(media.data, media.size, media.filename, media.content_type)

    def _grey_out(self, msg: WecomInbound, event: Incoming) -> None:
        """A dialog card has served once it is pressed: show the choice instead of buttons."""
        if msg.kind != "card_press" or not event.handle or not event.button.startswith("d:"):
            return
        _data, label = decode_key(msg.event_key or "")
        app = self.app
        text = shorten(f"✓ {label}", MAX_CHOSEN_CHARS)
        with app.services.uow() as uow:
            uow.outbox.put(OutMessage(CHANNEL, msg.from_user, text, edit=event.handle),
                           app.services.clock.now())
            uow.commit()
        app.worker.wake()

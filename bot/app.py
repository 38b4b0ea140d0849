"""The composition root: one place that builds the application, for production and tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine

from bot.channels.base import Channel
from bot.delivery import DeliveryWorker
from bot.group_commit import GroupCommit
from bot.monthly_cli import BlobMonthlyFiles
from bot.plantfile import channel_keys, read_plant
from bot.settings import Settings
from core.bus import EventRegistry
from core.dialog import Incoming
from core.plant import Plant
from core.ports import Clock
from handlers import chain_notices, dispatcher, identity, notifications, reminder_notices
from handlers.context import Services
from scheduler.clock import SystemClock
from storage.blobs import FileBlobStore
from storage.database import make_engine, upgrade
from storage.inbound_queue import Inbound, SqlInboundQueue
from storage.outbox_queue import SqlOutboxQueue
from storage.photos import FilePhotoStore
from storage.uow import SqlUnitOfWork


@dataclass
class App:
    engine: Engine
    services: Services
    worker: DeliveryWorker
    inlet: AppInlet = field(init=False)

    def __post_init__(self) -> None:
        self.inlet = AppInlet(self)

    def handle(self, event: Incoming) -> None:
        """Act on one event on the calling thread, for callers with no event loop to keep free."""
        dispatcher.handle(self.services, event)
        self.worker.wake()


class ChatLocks:
    """One lock per chat, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:  # asyncio.Lock is fair: waiters get it in the order they came
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class AppInlet:
    """The application as channel adapters see it (`bot.inlet.Inlet`).

    Database transactions and photo decoding run in worker threads, so the event loop
    stays free for the platforms; each chat's events still go through one at a time,
    in the order they were handed in.
    """

    def __init__(self, app: App) -> None:
        self._app = app
        self._services = app.services
        self._queue = SqlInboundQueue(app.engine)
        self.chats = ChatLocks()
        # Updates kept and marked done at the same moment share a transaction (a burst of
        # concurrent updates in a host bot, the chats of one drain round).
        self._arrivals = GroupCommit(self._queue.put_arrivals)
        self._done: GroupCommit[Sequence[int]] = GroupCommit(self._mark_done)

    @property
    def language(self) -> str:
        return self._services.plant.language

    @property
    def clock(self) -> Clock:
        return self._services.clock

    @property
    def max_photo_bytes(self) -> int:
        return self._services.max_photo_bytes

    def link_dm(self, channel: str, url: str) -> None:
        self._services.dm_links[channel] = url

    async def store(self, channel: str, payloads: Sequence[str]) -> None:
        if payloads:
            await self._arrivals.put((channel, payloads, self.clock.now()))

    async def pending(self, channel: str, limit: int = 100) -> list[Inbound]:
        return await asyncio.to_thread(self._queue.pending, channel, limit)

    async def done(self, inbound_ids: Sequence[int]) -> None:
        if inbound_ids:
            await self._done.put(inbound_ids)

    def _mark_done(self, batches: Sequence[Sequence[int]]) -> None:
        self._queue.done_many([inbound_id for ids in batches for inbound_id in ids])

    async def handled(self, channel: str, update_key: str) -> bool:
        return await asyncio.to_thread(self._handled, channel, update_key)

    def _handled(self, channel: str, update_key: str) -> bool:
        with self._services.uow() as uow:
            return uow.inbox.handled(channel, update_key)

    async def knows(self, channel: str, sender: str) -> bool:
        return await asyncio.to_thread(identity.knows, self._services, channel, sender)

    async def handle(self, event: Incoming) -> None:
        async with self.chats.hold((event.channel, event.chat)):
            await asyncio.to_thread(dispatcher.handle, self._services, event)
        self.wake()

    def wake(self) -> None:
        self._app.worker.wake()


def build_app(
    settings: Settings, *, channels: Mapping[str, Channel], plant: Plant | None = None,
    engine: Engine | None = None, clock: Clock | None = None,
) -> App:
    plant = plant or read_plant(settings.plant_file)
    engine = engine or make_engine(settings.database_url)
    upgrade(engine)
    clock = clock or SystemClock()
    photos = FilePhotoStore(settings.media_dir, max_bytes=settings.max_photo_bytes)
    blobs = FileBlobStore(settings.data_dir / "blobs")
    events = EventRegistry()
    services = Services(
        plant=plant, clock=clock, uow=lambda: SqlUnitOfWork(engine, events), photos=photos,
        blobs=blobs, channels=tuple(channels), max_photo_bytes=settings.max_photo_bytes,
        events=events,
        plant_keys=channel_keys(),
    )
    services.monthly = BlobMonthlyFiles(engine, services)
    # Chains first: a new ticket's chain holds the team's buttons before its cards are written.
    chain_notices.subscribe(services)
    notifications.subscribe(services)
    reminder_notices.subscribe(services)
    with services.uow() as uow:
        identity.seed(plant, uow)
        uow.commit()
    worker = DeliveryWorker(SqlOutboxQueue(engine), channels, clock, photos, blobs=blobs)
    return App(engine, services, worker)

"""The composition root: one place that builds the application, for production and tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.channels.base import Channel
from bot.delivery import DeliveryWorker
from bot.settings import Settings
from core.dialog import Incoming
from core.plant import Plant
from core.ports import Clock
from handlers import dispatcher, identity
from handlers.context import Services
from scheduler.clock import SystemClock
from storage.database import make_engine, upgrade
from storage.outbox_queue import SqlOutboxQueue
from storage.photos import PhotoStore
from storage.plantfile import load_plant
from storage.uow import SqlUnitOfWork


@dataclass
class App:
    engine: Engine
    services: Services
    worker: DeliveryWorker

    def handled(self, channel: str, update_key: str) -> bool:
        """Whether an update was acted on already: adapters ask before costly work
        (downloads, answers) on a platform's retry; `handle` still decides for good."""
        with self.services.uow() as uow:
            return uow.inbox.handled(channel, update_key)

    def handle(self, event: Incoming) -> None:
        dispatcher.handle(self.services, event)
        self.worker.wake()


def build_app(
    settings: Settings, *, channels: Mapping[str, Channel], plant: Plant | None = None,
    engine: Engine | None = None, clock: Clock | None = None,
) -> App:
    plant = plant or load_plant(settings.plant_file)
    engine = engine or make_engine(settings.database_url)
    upgrade(engine)
    clock = clock or SystemClock()
    photos = PhotoStore(settings.media_dir, max_bytes=settings.max_photo_bytes)
    services = Services(
        plant=plant, clock=clock, uow=lambda: SqlUnitOfWork(engine), photos=photos,
        channels=tuple(channels), max_photo_bytes=settings.max_photo_bytes,
    )
    with services.uow() as uow:
        identity.seed(plant, uow)
        uow.commit()
    worker = DeliveryWorker(SqlOutboxQueue(engine), channels, clock, photos)
    return App(engine, services, worker)

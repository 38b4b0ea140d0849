"""What a handler works with: the app's services and one turn of one person's chat."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from core.bus import EventRegistry
from core.dialog import Conversation, Incoming
from core.messages import Button, OutMessage
from core.pictures import BeforeAfter
from core.plant import Person, Plant
from core.ports import Clock, UnitOfWork
from handlers.i18n import label, t
from storage.photos import PhotoStore

log = logging.getLogger(__name__)

NO_VALUES: Mapping[str, object] = {}

# A button before translation: (message key or plain label, data).
ButtonSpec = tuple[str, str]


@dataclass
class Services:
    """Everything stable across turns, built once by the composition root."""

    plant: Plant
    clock: Clock
    uow: Callable[[], UnitOfWork]
    photos: PhotoStore
    channels: Sequence[str] = ("terminal",)
    dm_links: dict[str, str] = field(default_factory=dict)
    max_photo_bytes: int = 20 * 1024 * 1024
    # Who follows which domain event; its units of work dispatch to it before committing.
    events: EventRegistry = field(default_factory=EventRegistry)


class Notifier:
    """Writes messages to the outbox, in each reader's language, inside the caller's transaction."""

    def __init__(self, services: Services, uow: UnitOfWork) -> None:
        self.services, self.uow = services, uow

    def language(self, person: str) -> str:
        return self.uow.directory.language(person) or self.services.plant.language_of(person)

    def address(self, person: str) -> tuple[str, str] | None:
        active = self.services.channels
        known = {c: a for c, a in self.uow.directory.addresses(person).items() if c in active}
        if "terminal" in active and self.services.plant.person(person):
            known.setdefault("terminal", person)
        last = self.uow.directory.last_channel(person)
        if last in known:
            return last, known[last]
        for channel in active:
            if channel in known:
                return channel, known[channel]
        return None

    def to_person(
        self, person: str, key: str, *, buttons: Sequence[ButtonSpec] = (),
        image: str | None = None, ticket: str | None = None, edit: str | None = None,
        picture: BeforeAfter | None = None,
        values: Mapping[str, object] = NO_VALUES, **more: object,
    ) -> None:
        """Queue a message for a person on the channel that reaches them, in their language.

        Template values come as keywords, or as `values` when a caller passes them on. A
        `picture` is drawn at delivery and sent as the image.
        """
        target = self.address(person)
        if target is None:
            log.warning("no channel reaches %s; message %s not queued", person, key)
            return
        self.to_chat(
            *target, self.language(person), key, person=person, buttons=buttons,
            image=image, ticket=ticket, edit=edit, picture=picture, values={**values, **more},
        )

    def to_chat(
        self, channel: str, address: str, lang: str, key: str, *, person: str | None = None,
        buttons: Sequence[ButtonSpec] = (), image: str | None = None,
        ticket: str | None = None, edit: str | None = None, request_contact: bool = False,
        picture: BeforeAfter | None = None,
        values: Mapping[str, object] = NO_VALUES, **more: object,
    ) -> None:
        message = OutMessage(
            channel=channel, address=address, person=person,
            text=t(lang, key, **values, **more),
            buttons=tuple(Button(label(lang, text), data) for text, data in buttons),
            image=image, ticket=ticket, edit=edit, request_contact=request_contact,
        )
        self.uow.outbox.put(message, self.services.clock.now(), picture=picture)

    def to_team_groups(
        self, team_id: str, key: str, *, buttons: Sequence[ButtonSpec] = (),
        image: str | None = None, ticket: str | None = None, **values: object,
    ) -> None:
        team = self.services.plant.teams_by_id.get(team_id)
        if team is None:
            return
        lang = self.services.plant.language
        groups = {"telegram": team.telegram_chat_id, "wecom": team.wecom_chat_id}
        for channel, chat in groups.items():
            if chat is not None and channel in self.services.channels:
                self.to_chat(
                    channel, f"group:{chat}" if channel == "wecom" else str(chat), lang, key,
                    buttons=buttons, image=image, ticket=ticket, values=values,
                )


@dataclass
class Turn:
    """One incoming event from a known person, and the way to answer them."""

    services: Services
    uow: UnitOfWork
    event: Incoming
    person: Person
    lang: str
    notify: Notifier
    conversation: Conversation = field(default=None)  # type: ignore[assignment]

    @property
    def plant(self) -> Plant:
        return self.services.plant

    def reply(
        self, key: str, *, buttons: Sequence[ButtonSpec] = (), image: str | None = None,
        edit: str | None = None, request_contact: bool = False, **values: object,
    ) -> None:
        event = self.event
        self.notify.to_chat(
            event.channel, event.chat, self.lang, key, person=self.person.id, buttons=buttons,
            image=image, edit=edit, request_contact=request_contact, values=values,
        )

    def text(self, key: str, **values: object) -> str:
        return t(self.lang, key, **values)

"""What a handler works with: the app's services and one turn of one person's chat."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from core.blobs import StoredFile
from core.bus import EventRegistry
from core.dialog import Conversation, Incoming
from core.messages import Button, OutMessage
from core.monthly import MonthlyFiles
from core.pictures import Picture
from core.plant import ChannelKeys, Person, Plant
from core.ports import BlobStore, Clock, PhotoStore, UnitOfWork
from handlers.i18n import label, t

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
    blobs: BlobStore
    channels: Sequence[str] = ("terminal",)
    dm_links: dict[str, str] = field(default_factory=dict)
    max_photo_bytes: int = 20 * 1024 * 1024
    # Who follows which domain event; its units of work dispatch to it before committing.
    events: EventRegistry = field(default_factory=EventRegistry)
    # The plant.yaml keys each channel owns, as the bot registered them at start-up.
    plant_keys: Sequence[ChannelKeys] = ()
    # Draws the monthly report and ledger (bot/monthly_cli.py); None: no monthly reports.
    monthly: MonthlyFiles | None = None

    def team_chat_key(self, channel: str) -> str | None:
        """The plant.yaml key that names a team's group chat on `channel`, if it has groups."""
        return next(
            (keys.team.key for keys in self.plant_keys
             if keys.channel == channel and keys.team is not None),
            None,
        )


class Notifier:
    """Writes messages to the outbox, in each reader's language, inside the caller's transaction."""

    def __init__(self, services: Services, uow: UnitOfWork) -> None:
        self.services, self.uow = services, uow

    def language(self, person: str) -> str:
        return self.uow.directory.language(person) or self.services.plant.language_of(person)

    def address(self, person: str) -> tuple[str, str] | None:
        """The one channel (and address there) a message for a person goes to."""
        return next(iter(self.addresses(person)), None)

    def addresses(self, person: str) -> list[tuple[str, str]]:
        """Every active channel that reaches a person: the one they last used, then the others
        in the order the channels were started."""
        active = self.services.channels
        known = {c: a for c, a in self.uow.directory.addresses(person).items() if c in active}
        if "terminal" in active and self.services.plant.person(person):
            known.setdefault("terminal", person)
        last = self.uow.directory.last_channel(person)
        order = sorted(active, key=lambda channel: channel != last)  # stable: the rest keep theirs
        return [(channel, known[channel]) for channel in order if channel in known]

    def to_person(
        self, person: str, key: str, *, buttons: Sequence[ButtonSpec] = (),
        image: str | None = None, ticket: str | None = None, edit: str | None = None,
        picture: Picture | None = None, attachment: StoredFile | None = None,
        everywhere: bool = False, values: Mapping[str, object] = NO_VALUES, **more: object,
    ) -> None:
        """Queue a message for a person on the channel that reaches them, in their language;
        `everywhere`, on every channel they have (a notice that must not be missed).

        Template values come as keywords, or as `values` when a caller passes them on. A
        `picture` is drawn at delivery and sent as the image.
        """
        targets = self.addresses(person)[: None if everywhere else 1]
        if not targets:
            log.warning("no channel reaches %s; message %s not queued", person, key)
        lang = self.language(person)
        for channel, address in targets:
            self.to_chat(
                channel, address, lang, key, person=person, buttons=buttons, image=image,
                ticket=ticket, edit=edit, picture=picture, attachment=attachment,
                values={**values, **more},
            )

    def to_chat(
        self, channel: str, address: str, lang: str, key: str, *, person: str | None = None,
        buttons: Sequence[ButtonSpec] = (), image: str | None = None,
        ticket: str | None = None, edit: str | None = None, request_contact: bool = False,
        picture: Picture | None = None, group: bool = False,
        attachment: StoredFile | None = None,
        values: Mapping[str, object] = NO_VALUES, **more: object,
    ) -> None:
        message = OutMessage(
            channel=channel, address=address, person=person,
            text=t(lang, key, **values, **more),
            buttons=tuple(Button(label(lang, text), data) for text, data in buttons),
            image=image, ticket=ticket, edit=edit, request_contact=request_contact, group=group,
            attachment=attachment, lang=lang,
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
        for channel, chat in team.chats.items():
            if channel in self.services.channels:
                self.to_chat(
                    channel, chat, lang, key, buttons=buttons, image=image, ticket=ticket,
                    group=True, values=values,
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

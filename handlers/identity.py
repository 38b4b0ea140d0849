"""Who is talking: roster bindings from plant.yaml, phone-number binding, and strangers."""

from __future__ import annotations

import re

from core.dialog import EventKind, Incoming
from core.plant import Person, Plant
from core.ports import UnitOfWork
from handlers import invites
from handlers.context import Notifier, Services


def roster_bindings(plant: Plant) -> list[tuple[str, str, str]]:
    """(channel, external id, person) for every account named in plant.yaml."""
    return [
        (channel, account, person.id)
        for person in plant.people
        for channel, account in person.accounts.items()
        if account
    ]


def seed(plant: Plant, uow: UnitOfWork) -> None:
    uow.directory.bind_all(roster_bindings(plant))


def identify(services: Services, uow: UnitOfWork, event: Incoming) -> Person | None:
    return person_of(services, uow, event.channel, event.sender)


def person_of(services: Services, uow: UnitOfWork, channel: str, sender: str) -> Person | None:
    """The person behind an account of a channel, if they are someone of the plant."""
    plant = services.plant
    if channel == "terminal":
        return plant.person(sender)
    # The plant file's accounts are bound when it is loaded (`seed`) and never bound to anyone
    # else (only strangers are), so they are answered from the loaded plant: no query for
    # most updates, and a reloaded plant answers for itself. Accounts bound since (an
    # invitation, a shared phone number) are in the directory.
    person_id = (plant.people_by_account.get((channel, sender))
                 or uow.directory.person_for(channel, sender))
    return plant.person(person_id) if person_id else None


def knows(services: Services, channel: str, sender: str) -> bool:
    """Whether a sender is someone of the plant: a channel fetches nothing (a photo) for a
    stranger, who only hears how to get access."""
    with services.uow() as uow:
        return person_of(services, uow, channel, sender) is not None


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def person_by_phone(plant: Plant, phone: str) -> Person | None:
    wanted = _digits(phone)
    return next((p for p in plant.people if p.phone and _digits(p.phone) == wanted), None)


def welcome_stranger(services: Services, uow: UnitOfWork, event: Incoming) -> None:
    """Bind an invitation or a shared phone number to the roster, or explain how to get access."""
    token = invites.start_token(event)
    if token is not None:
        invites.redeem(services, uow, event, token)
        return
    plant, notify, now = services.plant, Notifier(services, uow), services.clock.now()
    person = person_by_phone(plant, event.phone) if event.kind is EventKind.CONTACT else None
    if person is not None and not event.is_group:
        uow.directory.bind(event.channel, event.sender, person.id)
        uow.directory.touch(person.id, event.channel)
        uow.audit.append(at=now, actor=person.id, action="IdentityBound",
                         subject=person.id, data={"channel": event.channel})
        notify.to_chat(event.channel, event.chat, notify.language(person.id), "identity.bound",
                       name=person.name)
        return
    uow.audit.append(at=now, actor=f"{event.channel}:{event.sender}", action="UnknownUser",
                     subject=event.sender[:64], data={"kind": event.kind.value})
    key = "identity.phone_unknown" if event.kind is EventKind.CONTACT else "identity.unknown"
    notify.to_chat(event.channel, event.chat, plant.language, key,
                   request_contact=not event.is_group)

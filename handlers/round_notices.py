"""Who hears of inspection rounds: the inspector of the day's list and of a reminder, the
safety manager (and the inspector) of a missed round. Registered by
`handlers.notifications.subscribe`, so the messages are written in the transaction of the
change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.inspections import Round
from core.plant import Plant
from core.ports import UnitOfWork
from core.round_events import RoundEvent, RoundMissed, RoundReminded, RoundsAnnounced
from handlers import render, round_render
from handlers.context import Notifier, Services

E = TypeVar("E", bound=RoundEvent)


def subscribe(services: Services) -> None:
    services.events.subscribe(RoundsAnnounced, _announced(services))
    for kind, tell in ABOUT_ROUND.items():
        services.events.subscribe(kind, _about_round(services, tell))


def _about_round(
    services: Services, tell: Callable[[Notifier, Round, E], None]
) -> Callable[[E, UnitOfWork], None]:
    """A subscriber handed the round as it stands when the transaction commits."""

    def subscriber(event: E, uow: UnitOfWork) -> None:
        round_ = uow.rounds.get(event.round_id)
        if round_ is None:
            raise LookupError(f"event about an unknown round: {event!r}")
        tell(Notifier(services, uow), round_, event)

    return subscriber


def _announced(services: Services) -> Callable[[RoundsAnnounced, UnitOfWork], None]:
    def subscriber(event: RoundsAnnounced, uow: UnitOfWork) -> None:
        notify = Notifier(services, uow)
        plant, lang = services.plant, notify.language(event.person)
        rounds = [r for r in (uow.rounds.get(i) for i in event.rounds) if r is not None]
        lines = "\n".join(
            round_render.line(plant, r, lang) for r in sorted(rounds, key=lambda r: r.opens_at))
        notify.to_person(event.person, "rounds.announce", date=event.day, lines=lines)

    return subscriber


def _reminded(notify: Notifier, round_: Round, event: RoundReminded) -> None:
    plant, lang = notify.services.plant, notify.language(event.assignee)
    left = round_.closes_at - notify.services.clock.now()
    notify.to_person(
        event.assignee, "round.reminder", title=round_render.title(plant, round_, lang),
        closes=render.local_time(plant, round_.closes_at), left=round_render.span(lang, left),
        checkpoints=round_render.checkpoints(lang, event.left),
    )


def _missed(notify: Notifier, round_: Round, event: RoundMissed) -> None:
    """The rung above hears which checkpoints were missed; the inspector hears it went up."""
    plant = notify.services.plant
    for person in event.recipients:
        lang = notify.language(person)
        notify.to_person(
            person, "round.missed_manager", title=round_render.title(plant, round_, lang),
            assignee=render.person_name(plant, event.assignee),
            window=_day_window(plant, round_), state=round_render.state(lang, event.state),
            checkpoints=round_render.checkpoints(lang, event.missed),
        )
    if event.assignee not in event.recipients:
        lang = notify.language(event.assignee)
        notify.to_person(
            event.assignee, "round.missed_assignee",
            title=round_render.title(plant, round_, lang), window=_day_window(plant, round_),
            state=round_render.state(lang, event.state),
            checkpoints=round_render.checkpoints(lang, event.missed),
        )


def _day_window(plant: Plant, round_: Round) -> str:
    return f"{render.local_date(plant, round_.opens_at)} {round_render.window(plant, round_)}"


# Who hears of what, in one table: each round event and the notification it sends.
ABOUT_ROUND: dict[type[Any], Callable[[Notifier, Round, Any], None]] = {
    RoundReminded: _reminded,
    RoundMissed: _missed,
}

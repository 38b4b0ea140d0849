"""One registry of who follows which domain event, filled once at start-up.

Use cases record events on the unit of work; just before it commits, the unit of work
hands them to `dispatch`, so what subscribers write (outbox messages, further events) is
committed with the change that caused it, or not at all. Subscribers are picked by class,
base classes included: a new module subscribes to `TicketResolved` with one line and no
edit to the ticket code (cosmicpython's message bus, run inside the transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from core.ports import UnitOfWork

E = TypeVar("E")

Subscriber = Callable[[Any, UnitOfWork], None]

# Subscribers that keep recording events for each other would never let a commit happen.
MAX_ROUNDS = 20


class EventRegistry:
    def __init__(self) -> None:
        self._subscribers: dict[type, list[Subscriber]] = {}

    def subscribe(self, kind: type[E], subscriber: Callable[[E, UnitOfWork], None]) -> None:
        """Call `subscriber` with every event of this class or of a subclass, and the uow."""
        self._subscribers.setdefault(kind, []).append(subscriber)

    def subscribers(self, kind: type) -> list[Subscriber]:
        """Who hears an event of this class: its own subscribers first, then its bases'."""
        return [s for base in kind.__mro__ for s in self._subscribers.get(base, ())]

    def dispatch(self, uow: UnitOfWork) -> None:
        """Hand every event the unit of work collected to its subscribers, in the order
        recorded, then the events they recorded in turn, until none are left."""
        for _ in range(MAX_ROUNDS):
            events = uow.collect_new_events()
            if not events:
                return
            for event in events:
                for subscriber in self.subscribers(type(event)):
                    subscriber(event, uow)
        raise RuntimeError(f"events still recorded after {MAX_ROUNDS} rounds of subscribers")

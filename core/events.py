"""What happened in the domain: past-tense facts that notifications and the audit log follow."""

from __future__ import annotations

from dataclasses import dataclass

from core.plant import Role
from core.tickets import Action, Status


@dataclass(frozen=True)
class TicketOpened:
    code: str
    actor: str


@dataclass(frozen=True)
class TicketActed:
    code: str
    action: Action
    actor: str
    reason: str | None = None
    previous_team: str | None = None
    previous_status: Status | None = None


@dataclass(frozen=True)
class TicketEscalated:
    code: str
    level: int
    role: Role
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class PointsChanged:
    person: str
    delta: int
    ticket: str
    reason: str


Event = TicketOpened | TicketActed | TicketEscalated | PointsChanged

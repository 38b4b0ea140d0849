"""What the domain needs from the outside world, as protocols the edges implement."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from core.audit import AuditEntry
from core.blobs import StoredFile
from core.dialog import ChatKey, Conversation
from core.mail import Mail
from core.messages import OutMessage
from core.photos import StoredPhoto
from core.pictures import BeforeAfter
from core.points import PointsChange
from core.tickets import Status, Ticket, Validity


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class TicketFilter:
    """Which tickets a list wants; a filter left as None (or 0) lets every ticket through."""

    statuses: tuple[Status, ...] | None = None
    validities: tuple[Validity, ...] | None = None
    teams: tuple[str, ...] | None = None
    area: str | None = None
    min_escalation_level: int = 0
    deadline_before: datetime | None = None

    def matches(self, ticket: Ticket) -> bool:
        deadline = self.deadline(ticket)
        return (
            (self.statuses is None or ticket.status in self.statuses)
            and (self.validities is None or ticket.validity in self.validities)
            and (self.teams is None or ticket.team in self.teams)
            and (self.area is None or ticket.area == self.area)
            and ticket.escalation_level >= self.min_escalation_level
            and (self.deadline_before is None
                 or (deadline is not None and deadline < self.deadline_before))
        )

    @staticmethod
    def deadline(ticket: Ticket) -> datetime | None:
        """What lists sort by: the response deadline while reported, else the rectification
        deadline; the next escalation instant for tickets stored before those were kept."""
        kept = ticket.respond_by if ticket.status is Status.REPORTED else ticket.resolve_by
        return kept or ticket.due_at


class TicketRepository(Protocol):
    def add(self, ticket: Ticket) -> None: ...
    def get(self, code: str) -> Ticket | None: ...
    def save(self, ticket: Ticket) -> None: ...
    def next_number(self, day: str) -> int: ...
    def due(self, now: datetime, limit: int = 100) -> list[Ticket]: ...
    def next_due_at(self) -> datetime | None: ...
    def by_reporter(self, person: str, limit: int = 10) -> list[Ticket]: ...
    def all(self) -> Iterator[Ticket]: ...
    def find(self, where: TicketFilter, *, limit: int = 100, offset: int = 0) -> list[Ticket]:
        """Matching tickets by `TicketFilter.deadline`, the soonest (overdue) first, none last."""
        ...
    def count(self, where: TicketFilter) -> int: ...


class ConversationRepository(Protocol):
    def get(self, key: ChatKey) -> Conversation | None: ...
    def save(self, conversation: Conversation) -> None: ...
    def delete(self, key: ChatKey) -> None: ...


class Inbox(Protocol):
    def first_time(self, channel: str, key: str, at: datetime) -> bool:
        """Record an incoming update; False when it was seen before (a platform retry)."""
        ...

    def handled(self, channel: str, key: str) -> bool:
        """Whether the update was already acted on, without recording anything."""
        ...


class Outbox(Protocol):
    def put(self, message: OutMessage, at: datetime, *, picture: BeforeAfter | None = None) -> int:
        """Queue a message; a `picture` is drawn at delivery and sent as its image."""
        ...


class PhotoStore(Protocol):
    """Photos kept by content: the original as sent and a metadata-free copy for chats."""

    def store(self, data: bytes) -> StoredPhoto:
        """Check, describe and keep a photo; raises `core.photos.PhotoRejected`."""
        ...

    def read(self, sha256: str, variant: Literal["orig", "chat"] = "chat") -> bytes:
        """A stored photo's bytes; FileNotFoundError when it is not stored."""
        ...

    def exists(self, sha256: str) -> bool: ...


class BlobStore(Protocol):
    """Files of any kind (PDF, XLSX, pictures) kept by content, to send with messages."""

    def put(self, data: bytes, *, name: str, mime: str | None = None) -> StoredFile:
        """Keep the bytes (the same bytes are kept once); the type is guessed from `name`."""
        ...

    def read(self, key: str) -> bytes:
        """A kept file's bytes; FileNotFoundError when it is not kept."""
        ...


class Mailer(Protocol):
    """Sends e-mail; raises `core.mail.MailDeferred` (try again later) or `MailRefused`."""

    async def send(self, mail: Mail) -> str:
        """Hand the mail to the mail server; returns its Message-ID."""
        ...


class TextRecognizer(Protocol):
    """OCR: the lines of text on a photographed document (a certificate, a licence).

    Slow (about a second a page) and CPU-bound: call it off the event loop and outside any
    transaction, and let a person confirm what it read.
    """

    def lines(self, image: bytes, *, languages: Sequence[str] = ("zh-CN", "en")) -> list[str]:
        ...


@dataclass(frozen=True)
class CompanyRecord:
    """What a public company registry says about a company."""

    credit_code: str  # the unified social credit code (统一社会信用代码)
    name: str
    status: str  # as the registry words it, e.g. "存续" (in business)
    valid_until: date | None = None


class RegistryCheck(Protocol):
    """Looks a contractor company up in a public registry by its unified social credit code."""

    async def company(self, credit_code: str) -> CompanyRecord | None:
        """The registry's record; None when the registry knows no such company."""
        ...


class AuditLog(Protocol):
    def append(
        self, *, at: datetime, actor: str, action: str, subject: str, data: dict[str, Any]
    ) -> None: ...
    def entries(self) -> Iterator[AuditEntry]: ...
    def find(
        self, *, subject: str | None = None, since: datetime | None = None
    ) -> Iterator[AuditEntry]:
        """Entries about one subject and/or from an instant on, in log order."""
        ...


class PointsLedger(Protocol):
    def add(self, change: PointsChange, at: datetime) -> None: ...
    def balance(self, person: str) -> int: ...
    def ranking(self) -> list[tuple[str, int]]: ...


class Directory(Protocol):
    """Who is who on each channel, and where and in which language to reach them."""

    def person_for(self, channel: str, external_id: str) -> str | None: ...
    def bind(self, channel: str, external_id: str, person: str) -> None: ...
    def addresses(self, person: str) -> dict[str, str]: ...
    def last_channel(self, person: str) -> str | None: ...
    def touch(self, person: str, channel: str) -> None: ...
    def language(self, person: str) -> str | None: ...
    def set_language(self, person: str, lang: str) -> None: ...


class Invites(Protocol):
    """One-time invitations that bind whoever redeems one to a person of the roster."""

    def add(
        self, *, token: str, person: str, created_by: str, created_at: datetime,
        expires_at: datetime,
    ) -> None: ...
    def redeem(self, token: str, *, by: str, at: datetime) -> str | None:
        """Mark the invitation used and return its person; None if unknown, used or expired."""
        ...


class UnitOfWork(Protocol):
    # Read-only members, so any implementation's own repository types satisfy them.
    @property
    def tickets(self) -> TicketRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def inbox(self) -> Inbox: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def points(self) -> PointsLedger: ...
    @property
    def directory(self) -> Directory: ...
    @property
    def invites(self) -> Invites: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def record(self, event: object) -> None:
        """Note a domain event; its subscribers run just before commit, in this transaction."""
        ...
    def collect_new_events(self) -> list[object]:
        """The events recorded since the last call, oldest first, and forget them."""
        ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...

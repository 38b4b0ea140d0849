"""What the domain needs from the outside world, as protocols the edges implement."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from core.audit import AuditEntry
from core.blobs import StoredFile
from core.chains import Chain
from core.dialog import ChatKey, Conversation
from core.figures import ReportFigures
from core.health_index import HealthIndexSource
from core.injuries import InjuryBook
from core.inspections import CheckInRepository, RoundRepository
from core.ledger import LedgerEntry
from core.mail import Mail
from core.major_hazards import RemediationPlan
from core.messages import OutMessage
from core.monthly_log import MonthlyReportLog
from core.photo_prints import PhotoPrint
from core.photos import StoredPhoto
from core.pictures import Picture
from core.shop import Order, OrderStatus
from core.tickets import Status, Ticket, Validity
from core.trends import TrendBook
from core.usage_rows import MonthHours, RunPeriod


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
    # The same problem as another report (core/ledger.py): equipment in any case.
    category: str | None = None
    equipment: str | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None

    def matches(self, ticket: Ticket) -> bool:
        deadline = self.deadline(ticket)
        if not self._same_problem(ticket):
            return False
        return (
            (self.statuses is None or ticket.status in self.statuses)
            and (self.validities is None or ticket.validity in self.validities)
            and (self.teams is None or ticket.team in self.teams)
            and (self.area is None or ticket.area == self.area)
            and ticket.escalation_level >= self.min_escalation_level
            and (self.deadline_before is None
                 or (deadline is not None and deadline < self.deadline_before))
        )

    def _same_problem(self, ticket: Ticket) -> bool:
        equipment = (ticket.equipment or "").upper()
        return ((self.category is None or ticket.category == self.category)
                and (self.equipment is None or equipment == self.equipment.upper())
                and (self.created_from is None or ticket.created_at >= self.created_from)
                and (self.created_before is None or ticket.created_at < self.created_before))

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


class ChainRepository(Protocol):
    """Cross-department chains, each with its steps, by ticket.

    A chain is guarded by its ticket's lock: whoever changes one first gets the ticket
    (`TicketRepository.get` locks it), then reads the chain afresh, so every writer takes
    the two in the same order.
    """

    def add(self, chain: Chain) -> None: ...
    def get(self, ticket: str) -> Chain | None: ...
    def by_step(self, step_id: int) -> Chain | None:
        """The chain a step belongs to (to find its ticket)."""
        ...
    def save(self, chain: Chain) -> None: ...
    def running(self, limit: int = 100) -> list[Chain]:
        """Chains neither completed nor cancelled, the oldest first."""
        ...
    def due(self, now: datetime, limit: int = 100) -> list[Chain]:
        """Chains with a step due by `now`, their tickets locked; those whose ticket another
        transaction holds are skipped."""
        ...
    def next_due_at(self) -> datetime | None: ...


class MajorRegister(Protocol):
    """Major hazards: their remediation plans, and the register a regulator asks for."""

    def plan(self, code: str) -> RemediationPlan | None: ...
    def save_plan(self, plan: RemediationPlan) -> None:
        """Keep the plan, replacing the ticket's earlier one."""
        ...
    def graded(self) -> list[tuple[Ticket, RemediationPlan | None]]:
        """Every ticket graded a major hazard, in the order graded, with its plan."""
        ...


@dataclass(frozen=True)
class PhotoSeen:
    """A photo of a ticket, found by a lookup of prints."""

    ticket: Ticket
    photo: PhotoPrint


class DuplicateIndex(Protocol):
    """The photos of tickets by print, and who follows a ticket they joined (core/duplicates.py)."""

    def index(self, code: str, prints: Sequence[PhotoPrint], at: datetime) -> None:
        """Keep the prints of a ticket's photos; a print kept already is kept once."""
        ...
    def seen(self, prints: Sequence[PhotoPrint], since: datetime,
             limit: int = 100) -> list[PhotoSeen]:
        """Photos of tickets opened since `since` with the bytes of one of `prints`, or a
        band of its hash (`PhotoPrint.bands`): the candidates `same_photo` decides on."""
        ...
    def follow(self, code: str, person: str, at: datetime) -> bool:
        """Add the person to the ticket's followers; False when they follow it already."""
        ...
    def followers(self, code: str) -> list[str]:
        """Who joined the ticket, in the order they joined."""
        ...
    def followers_by_ticket(self) -> dict[str, list[str]]:
        """Who joined each ticket anyone joined, in the order they joined: for exports."""
        ...


class ConversationRepository(Protocol):
    def get(self, key: ChatKey) -> Conversation | None: ...
    def save(self, conversation: Conversation) -> None: ...
    def delete(self, key: ChatKey) -> None: ...
    # Idle drafts (handlers/draft_nudges.py): touched in a window and not nudged since.
    def idle(self, flow: str, *, touched_after: datetime, touched_by: datetime,
             limit: int = 100) -> list[Conversation]:
        """Conversations of `flow` last touched in (touched_after, touched_by] that nobody
        was nudged about since; locked, others' locked ones skipped."""
        ...
    def nudged(self, key: ChatKey, at: datetime) -> None:
        """Note that the person was nudged about this conversation's present idle period."""
        ...
    def next_idle_touch(self, flow: str, *, touched_after: datetime) -> datetime | None:
        """The earliest last touch after `touched_after` of a conversation not yet nudged."""
        ...


@dataclass(frozen=True)
class GatheredReminder:
    """A reminder kept for a person's daily digest: the ticket and the step it was about."""

    id: int
    ticket: str
    step: str


class ReminderBook(Protocol):
    """Tickets whose reminder is due, and reminders gathered for daily digests."""

    def due(self, now: datetime, limit: int = 100) -> list[Ticket]:
        """Open tickets reminded by `now`, the earliest first; locked, others' locked skipped."""
        ...
    def next_due_at(self) -> datetime | None: ...
    def gather(self, person: str, ticket: str, step: str, at: datetime) -> None: ...
    def gathered(self, person: str) -> list[GatheredReminder]:
        """The person's gathered reminders, oldest first."""
        ...
    def forget(self, ids: Sequence[int]) -> None: ...
    def oldest_gathered(self) -> dict[str, datetime]:
        """When each person's oldest gathered reminder came."""
        ...
    def claim_digest(self, person: str, day: date, at: datetime) -> bool:
        """Note the person's digest of a plant day as sent; False when it already was."""
        ...
    def last_digests(self) -> dict[str, date]:
        """Each person's latest digest day."""
        ...


class Inbox(Protocol):
    def first_time(self, channel: str, key: str, at: datetime) -> bool:
        """Record an incoming update; False when it was seen before (a platform retry)."""
        ...

    def handled(self, channel: str, key: str) -> bool:
        """Whether the update was already acted on, without recording anything."""
        ...


class Outbox(Protocol):
    def put(self, message: OutMessage, at: datetime, *, picture: Picture | None = None) -> int:
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

    def fingerprint(self, sha256: str) -> PhotoPrint:
        """The stored photo's print (core/photo_prints.py), kept with it when it was stored;
        FileNotFoundError when it is not stored."""
        ...


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
    """The append-only points ledger (core/ledger.py): a balance is always a sum of entries."""

    def append(self, entry: LedgerEntry) -> bool:
        """Write the entry; False, writing nothing, when one with its key is already there."""
        ...
    def lock(self, person: str) -> None:
        """Hold the person's account until the transaction ends, where the database can: what
        they spend is decided one order at a time, on the balance as it is then."""
        ...
    def balance(self, person: str) -> int: ...
    def entries(self, person: str, limit: int = 10) -> list[LedgerEntry]:
        """The person's latest entries, the newest first."""
        ...
    def of_ticket(self, code: str) -> list[LedgerEntry]:
        """The entries about a ticket, in the order written."""
        ...
    def ranking(self) -> list[tuple[str, int]]:
        """People by points earned (awards, revocations, adjustments; spending aside), those
        above zero, the most first."""
        ...


class Rankings(Protocol):
    """Points earned per person (core/ranking.py `EARNED`), for the rankings."""

    def earned(self, since: datetime | None = None) -> list[tuple[str, int]]:
        """(person, points) net of revocations, counting entries at or after `since`;
        spending aside, and zeros and negatives included (the caller places only gains)."""
        ...


class ShopBook(Protocol):
    """Shop orders (core/shop.py) and how many of each item they took."""

    def add(self, order: Order) -> None:
        """Keep a new order and set its id."""
        ...
    def get(self, order_id: int) -> Order | None:
        """The order as stored; a decision goes through `decide`, which re-checks it."""
        ...
    def decide(self, order: Order) -> bool:
        """Store the order's decision if it is still pending; False when it was decided
        meanwhile (a replayed press, another admin), and nothing is written."""
        ...
    def taken(self, item: str) -> int:
        """How many of the item orders hold (pending or approved)."""
        ...
    def take(self, item: str, stock: int) -> bool:
        """Take one of the item unless `stock` are taken already; False when none is left.
        Decided in the database, so parallel orders never take more than there is."""
        ...
    def give_back(self, item: str) -> None: ...
    def ordered(self, person: str, item: str, since: datetime) -> int:
        """The person's orders of the item since an instant, rejected ones aside."""
        ...
    def orders(self, statuses: Sequence[OrderStatus] | None = None) -> list[Order]:
        """Orders with these statuses (all when None), the oldest first."""
        ...


class Directory(Protocol):
    """Who is who on each channel, and where and in which language to reach them."""

    def person_for(self, channel: str, external_id: str) -> str | None: ...
    def bind(self, channel: str, external_id: str, person: str) -> None: ...
    def bind_all(self, bindings: Sequence[tuple[str, str, str]]) -> None:
        """Bind each (channel, external id, person) at once: what loading a roster does."""
        ...
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
    def chains(self) -> ChainRepository: ...
    @property
    def inbox(self) -> Inbox: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def points(self) -> PointsLedger: ...
    @property
    def rankings(self) -> Rankings: ...
    @property
    def shop(self) -> ShopBook: ...
    @property
    def directory(self) -> Directory: ...
    @property
    def invites(self) -> Invites: ...
    @property
    def duplicates(self) -> DuplicateIndex: ...
    @property
    def figures(self) -> ReportFigures: ...
    @property
    def majors(self) -> MajorRegister: ...
    @property
    def reminders(self) -> ReminderBook: ...
    @property
    def rounds(self) -> RoundRepository: ...
    @property
    def checkins(self) -> CheckInRepository: ...
    @property
    def injuries(self) -> InjuryBook: ...
    @property
    def trends(self) -> TrendBook: ...
    @property
    def health_index(self) -> HealthIndexSource: ...
    @property
    def monthly_reports(self) -> MonthlyReportLog: ...

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


class LedgerImports(Protocol):
    """The ledger rows imported so far, by their import key (core/ticket_rows.py)."""

    def known(self, keys: Collection[str]) -> set[str]:
        """Those of the keys already imported."""
        ...
    def note(self, key: str, *, ticket: str, source_code: str | None, at: datetime) -> None:
        """Keep the key with the ticket it became (unique: a second import of it fails)."""
        ...


class RunLog(Protocol):
    """Equipment run periods (core/usage_rows.py), for the trend warnings."""

    def overlapping(self, period: RunPeriod) -> list[RunPeriod]:
        """Stored periods of the same machine that share time with this one."""
        ...
    def add(self, period: RunPeriod) -> None: ...
    def periods(self, equipment: str, *, before: datetime | None = None) -> list[RunPeriod]:
        """The machine's periods that started before `before` (all when None), oldest first."""
        ...


class HoursWorked(Protocol):
    """Hours worked per department and month, for the injury rates."""

    def get(self, department: str, month: date) -> float | None: ...
    def put(self, entry: MonthHours, at: datetime) -> None:
        """Keep the month's hours, replacing what was kept for it."""
        ...
    def total(self, *, first: date, last: date, department: str | None = None) -> float | None:
        """Hours of the months from `first` to `last` (first days, both included), of one
        department or all; None when no month in the range has any."""
        ...


class ImportUnitOfWork(UnitOfWork, Protocol):
    """A unit of work with what the imports of history write (`safetyloop import`)."""

    @property
    def imports(self) -> LedgerImports: ...
    @property
    def run_log(self) -> RunLog: ...
    @property
    def hours_worked(self) -> HoursWorked: ...

"""The plant as configured in plant.yaml: people, places, equipment and the rules that use them."""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import cast

from core.checklists import ChecklistItem
from core.durations import parse_duration
from core.index_settings import HealthIndexSettings
from core.point_settings import PointRules, ShopItem
from core.reminder_settings import ReminderSettings
from core.risk import DEFAULT_GRADING, RiskGrading, RiskPoint, class_for
from core.risk import RiskClass as RiskClass  # re-exported: readers know it from here
from core.round_settings import InspectionSettings
from core.trend_settings import TrendSettings

# A stand-in for "plant.yaml leaves risk_class out": never seen outside construction,
# since Area.__post_init__ replaces it with the class its risk points imply.
_DERIVE = cast(RiskClass, None)


class Role(StrEnum):
    WORKER = "worker"
    SAFETY_OFFICER = "safety_officer"
    TEAM_LEAD = "team_lead"
    DEPARTMENT_HEAD = "department_head"
    SAFETY_MANAGER = "safety_manager"
    PLANT_MANAGER = "plant_manager"  # 厂长: told at once of every major hazard
    ADMIN = "admin"
    LEGAL_REVIEWER = "legal_reviewer"
    CONTRACTOR = "contractor"


class Severity(StrEnum):
    GENERAL = "general"
    SERIOUS = "serious"
    CRITICAL = "critical"


@dataclass(frozen=True)
class Named:
    """Anything shown to people by name, in Chinese and optionally English."""

    id: str
    name: str
    name_en: str = ""

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


@dataclass(frozen=True)
class AccountKey:
    """A plant.yaml key holding an id on one channel, and what its value must look like."""

    key: str
    whole_number: bool = False  # else text


@dataclass(frozen=True)
class ChannelKeys:
    """The plant.yaml keys a channel owns; the loader files their values under its name.

    `person` holds a person's account (kept in `Person.accounts`), `team` the id of the
    team's group chat (kept in `Team.chats`).
    """

    channel: str
    person: AccountKey | None = None
    team: AccountKey | None = None
    # Delivers to a mailbox (e-mail): where a notice meant to be filed and forwarded goes.
    mailbox: bool = False


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


def _no_ids() -> Mapping[str, str]:
    return _frozen({})


@dataclass(frozen=True)
class Department(Named):
    head: str | None = None


@dataclass(frozen=True)
class Team(Named):
    department: str | None = None
    lead: str | None = None
    # channel name -> the id of the team's group chat there, as that channel writes it
    chats: Mapping[str, str] = field(default_factory=_no_ids, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "chats", _frozen(self.chats))


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    roles: tuple[Role, ...] = (Role.WORKER,)
    department: str | None = None
    team: str | None = None
    phone: str = ""
    email: str | None = None
    superior: str | None = None
    lang: str | None = None
    # One daily digest of their general tickets' reminders instead of each reminder.
    digest: bool = False
    # channel name -> the person's user id there, as text
    accounts: Mapping[str, str] = field(default_factory=_no_ids, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "accounts", _frozen(self.accounts))

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)


@dataclass(frozen=True)
class Area(Named):
    # The effective class: as plant.yaml sets it by hand, else the class of the highest risk
    # point (C with none), graded by the plant's `risk_grading` once the Plant is built.
    risk_class: RiskClass = field(default=_DERIVE)
    size_m2: float = 0.0
    department: str | None = None
    type: str = "workshop"  # picks the checklist template (Plant.checklists)
    risk_points: tuple[RiskPoint, ...] = ()
    # Whether plant.yaml set risk_class; worked out here, not a key of the file.
    class_by_hand: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        by_hand = self.risk_class is not None
        object.__setattr__(self, "class_by_hand", by_hand)
        if not by_hand:
            object.__setattr__(self, "risk_class", class_for(self.risk_points))


@dataclass(frozen=True)
class Checkpoint:
    id: str
    area: str
    lat: float
    lon: float
    radius_m: float = 50.0


@dataclass(frozen=True)
class Equipment:
    code: str
    name: str
    type: str
    area: str


@dataclass(frozen=True)
class Category(Named):
    pass


@dataclass(frozen=True)
class RoutingRule:
    """Sends matching reports to a team; a field left empty matches anything."""

    team: str
    category: str | None = None
    area: str | None = None
    equipment_type: str | None = None


@dataclass(frozen=True)
class Routing:
    default_team: str
    rules: tuple[RoutingRule, ...] = ()


@dataclass(frozen=True)
class ChainMatch:
    """Which reports start a chain; a field left empty matches anything (as in routing)."""

    category: str | None = None
    area: str | None = None
    equipment_type: str | None = None


@dataclass(frozen=True)
class ChainStepRule:
    """One department's part of a chain: who answers for it, how long they have to confirm,
    and the steps it waits for. A team lead step names its team."""

    id: str
    department: str
    role: Role
    window: str
    team: str | None = None
    after: tuple[str, ...] = ()
    name: str = ""  # what the step is, as its holder and the board read it; else its id
    name_en: str = ""


@dataclass(frozen=True)
class ChainRule(Named):
    """A cross-department chain (联合处置) that a matching report opens instead of one team's
    work; `warn_after` overrides the section's grace before a late step's warning mail."""

    match: ChainMatch = field(default_factory=ChainMatch)
    steps: tuple[ChainStepRule, ...] = ()
    warn_after: str | None = None


@dataclass(frozen=True)
class Chains:
    """plant.yaml's `chains`: the rules, first match wins, and the grace between a late
    step's chat reminder and the warning mail to its holder's superior."""

    warn_after: str = "1h"
    rules: tuple[ChainRule, ...] = ()


@dataclass(frozen=True)
class SlaWindow:
    acknowledge: str
    resolve: str | None = None

    @property
    def acknowledge_within(self) -> timedelta:
        return parse_duration(self.acknowledge)

    @property
    def resolve_within(self) -> timedelta | None:
        return parse_duration(self.resolve) if self.resolve else None


@dataclass(frozen=True)
class EscalationLevel:
    """One rung above the team lead: who is told, and how long they have before the next."""

    role: Role
    window: str | None = None


@dataclass(frozen=True)
class Site:
    lat: float
    lon: float
    radius_m: float = 2000.0


def _default_sla() -> dict[Severity, SlaWindow]:
    return {
        Severity.GENERAL: SlaWindow(acknowledge="24h", resolve="7d"),
        Severity.SERIOUS: SlaWindow(acknowledge="4h", resolve="4h"),
        Severity.CRITICAL: SlaWindow(acknowledge="15m", resolve="1h"),
    }


def _default_ladder() -> tuple[EscalationLevel, ...]:
    return (
        EscalationLevel(role=Role.DEPARTMENT_HEAD, window="4h"),
        EscalationLevel(role=Role.SAFETY_MANAGER),
    )


def _regraded(area: Area, grading: RiskGrading) -> Area:
    """The area with its derived class graded by the plant's own thresholds."""
    if area.class_by_hand:
        return area
    out = copy.copy(area)  # not replace(): passing risk_class would read as set by hand
    object.__setattr__(out, "risk_class", class_for(area.risk_points, grading))
    return out


@dataclass(frozen=True)
class Plant:
    name: str
    site: Site
    routing: Routing
    timezone: str = "Asia/Shanghai"
    language: str = "zh-CN"
    departments: tuple[Department, ...] = ()
    teams: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()
    areas: tuple[Area, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    equipment: tuple[Equipment, ...] = ()
    categories: tuple[Category, ...] = ()
    sla: dict[Severity, SlaWindow] = field(default_factory=_default_sla)
    escalation: tuple[EscalationLevel, ...] = field(default_factory=_default_ladder)
    # `escalation.email` in plant.yaml: the rung told of an escalation hears of it on every
    # channel they have, so by e-mail too where they have an address.
    escalation_everywhere: bool = True
    # By severity, plus bonuses (core/point_settings.py); `shop` is what points buy.
    points: PointRules = field(default_factory=PointRules)
    shop: tuple[ShopItem, ...] = ()
    chains: Chains = field(default_factory=Chains)
    reminders: ReminderSettings = field(default_factory=ReminderSettings)
    # LEC thresholds of the risk register (core/risk.py says which side each edge falls on).
    risk_grading: RiskGrading = field(default_factory=RiskGrading)
    # area type -> the checklist template of such areas
    checklists: dict[str, tuple[ChecklistItem, ...]] = field(default_factory=dict)
    # Inspection plans and who holds which areas (core/round_settings.py); no rounds without.
    inspections: InspectionSettings | None = None
    # Trend warnings (core/trends.py) and the safety health index (core/health_index.py).
    trends: TrendSettings = field(default_factory=TrendSettings)
    health_index: HealthIndexSettings = field(default_factory=HealthIndexSettings)

    def __post_init__(self) -> None:
        if self.risk_grading != DEFAULT_GRADING:  # areas derived their class by the defaults
            object.__setattr__(self, "areas", tuple(
                _regraded(a, self.risk_grading) for a in self.areas))

    @cached_property
    def people_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    @cached_property
    def people_by_account(self) -> dict[tuple[str, str], str]:
        """(channel, account) → person id, for every account the plant file names."""
        return {(channel, account): p.id for p in self.people
                for channel, account in p.accounts.items() if account}

    @cached_property
    def teams_by_id(self) -> dict[str, Team]:
        return {t.id: t for t in self.teams}

    @cached_property
    def areas_by_id(self) -> dict[str, Area]:
        return {a.id: a for a in self.areas}

    @cached_property
    def departments_by_id(self) -> dict[str, Department]:
        return {d.id: d for d in self.departments}

    @cached_property
    def equipment_by_code(self) -> dict[str, Equipment]:
        return {e.code.upper(): e for e in self.equipment}

    @cached_property
    def shop_by_id(self) -> dict[str, ShopItem]:
        return {item.id: item for item in self.shop}

    @cached_property
    def categories_by_id(self) -> dict[str, Category]:
        return {c.id: c for c in self.categories}

    def person(self, person_id: str) -> Person | None:
        return self.people_by_id.get(person_id)

    def with_role(self, role: Role) -> list[Person]:
        return [p for p in self.people if role in p.roles]

    def equipment_in(self, area_id: str) -> list[Equipment]:
        return [e for e in self.equipment if e.area == area_id]

    def language_of(self, person_id: str) -> str:
        person = self.person(person_id)
        return (person.lang if person and person.lang else None) or self.language

    def problems(self, *, languages: Collection[str] = ()) -> list[tuple[str, str]]:
        """Cross-reference and logic errors as (path in plant.yaml, what is wrong).

        `languages` are those with a message catalog; the loader passes them, core reads no files.
        """
        from core.plant_checks import plant_problems  # the checks import this module's types

        return plant_problems(self, languages=languages)

    def warnings(self) -> list[tuple[str, str]]:
        """What loads but asks for a second look, as (path in plant.yaml, what looks wrong)."""
        from core.risk_checks import risk_warnings  # the checks import this module's types

        return risk_warnings(self)

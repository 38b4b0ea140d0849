"""What a button carries: typed payloads, and the one codec between them and button data.

Data is short and plain (`t:accept:HZ-261128-0042`, `d:3:ELEC`, `o:2:t:MECH`,
`p:HZ-261128-0042`, `c:confirm:12`, `s:approve:7`, `v:HZ-261128-0042`, `rk:teams:all`,
`url:https://…`) so that buttons already sent keep working and a person can forge one in
the shell. It is never trusted: `decode` turns anything that is not well formed into None,
and handlers re-check the presser and the state anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.chains import StepVerb
from core.ranking import Board, Period
from core.shop import OrderVerb
from core.tickets import Action

# Telegram's limit for callback data; WeCom allows more, so this is the budget everywhere.
MAX_DATA_BYTES = 64
# A page number longer than this is no page anyone can reach: it reads as page 0.
MAX_PAGE_DIGITS = 6
_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,40}")
_PAGE = re.compile(r"-?[0-9]+")
_REV = re.compile(r"[0-9]{1,9}")
_LINK_SCHEMES = ("https://", "http://")


@dataclass(frozen=True)
class TicketButton:
    """Do `action` to the ticket `code`."""

    action: Action
    code: str


@dataclass(frozen=True)
class DialogButton:
    """The choice `value` of the conversation step that showed it at revision `rev`."""

    rev: int
    value: str


class ScopeKind(StrEnum):
    AREA = "a"
    TEAM = "t"


@dataclass(frozen=True)
class Scope:
    """Part of the plant a list is about: an area or a team, by id."""

    kind: ScopeKind
    key: str


@dataclass(frozen=True)
class PageButton:
    """Show page `page` of the open tickets, of `scope` or of the whole plant."""

    page: int
    scope: Scope | None = None


@dataclass(frozen=True)
class PlanButton:
    """Enter the remediation plan (五落实) of the major hazard `code`."""

    code: str


@dataclass(frozen=True)
class StepButton:
    """Do `verb` to the step `step` (its number) of a cross-department chain."""

    verb: StepVerb
    step: int


@dataclass(frozen=True)
class LinkButton:
    """Open `url`; the platform handles it, nothing comes back to us."""

    url: str


@dataclass(frozen=True)
class OrderButton:
    """An admin's `verb` (approve, reject) on the shop order numbered `order`."""

    verb: OrderVerb
    order: int


@dataclass(frozen=True)
class ViewButton:
    """Show the ticket `code` to the presser, as `/status CODE` does."""

    code: str


@dataclass(frozen=True)
class RankButton:
    """Show the ranking of `board` for `period`."""

    board: Board
    period: Period


@dataclass(frozen=True)
class WatchButton:
    """Add a special inspection plan for the machine of trend warning number `warning`."""

    warning: int


Payload = (TicketButton | DialogButton | PageButton | PlanButton | StepButton | LinkButton
           | OrderButton | ViewButton | RankButton | WatchButton)


class UnsendableButton(ValueError):
    """The payload would not come back as it went: too long for a platform, or malformed."""


def encode(payload: Payload) -> str:
    """The button data for `payload`; raises UnsendableButton unless it reads back the same."""
    data = _write(payload)
    if decode(data) != payload:
        raise UnsendableButton(f"button data {data[:80]!r} would not read back as {payload!r}")
    return data


def _write(payload: Payload) -> str:
    match payload:
        case TicketButton(action, code):
            return f"t:{action.value}:{code}"
        case DialogButton(rev, value):
            return f"d:{rev}:{value}"
        case PageButton(page, None):
            return f"o:{page}"
        case PageButton(page, Scope(kind, key)):
            return f"o:{page}:{kind.value}:{key}"
        case PlanButton(code):
            return f"p:{code}"
        case StepButton(verb, step):
            return f"c:{verb.value}:{step}"
        case OrderButton(verb, order):
            return f"s:{verb.value}:{order}"
        case ViewButton(code):
            return f"v:{code}"
        case RankButton(board, period):
            return f"rk:{board.value}:{period.value}"
        case WatchButton(warning):
            return f"tw:{warning}"
        case LinkButton(url):
            return f"url:{url}"
    raise TypeError(f"not a button payload: {payload!r}")


def decode(data: str) -> Payload | None:
    """The payload of button data; None for anything forged, garbled or unknown."""
    prefix, _, rest = data.partition(":")
    if prefix == "url":
        return _link(rest)
    if len(data.encode()) > MAX_DATA_BYTES or not data.isprintable():
        return None
    if prefix == "t":
        return _ticket(rest)
    if prefix == "d":
        return _dialog(rest)
    if prefix == "o":
        return _page(rest)
    if prefix == "c":
        return _step(rest)
    if prefix == "s":
        return _order(rest)
    if prefix == "p":
        return PlanButton(rest) if _CODE.fullmatch(rest) else None
    if prefix == "v":
        return ViewButton(rest) if _CODE.fullmatch(rest) else None
    if prefix == "rk":
        return _rank(rest)
    if prefix == "tw":
        return WatchButton(int(rest)) if _REV.fullmatch(rest) else None
    return None


def link_url(data: str) -> str | None:
    """The address a link button opens; None for a button that sends data back."""
    payload = decode(data) if data.startswith("url:") else None
    return payload.url if isinstance(payload, LinkButton) else None


def _ticket(rest: str) -> TicketButton | None:
    verb, _, code = rest.partition(":")
    if verb not in Action.__members__.values() or not _CODE.fullmatch(code):
        return None
    return TicketButton(Action(verb), code)


def _dialog(rest: str) -> DialogButton | None:
    rev, _, value = rest.partition(":")
    if not _REV.fullmatch(rev) or not value.strip():
        return None
    return DialogButton(int(rev), value)


def _page(rest: str) -> PageButton | None:
    number, _, where = rest.partition(":")
    if not _PAGE.fullmatch(number):
        return None
    page = int(number) if len(number.lstrip("-")) <= MAX_PAGE_DIGITS else 0
    if not where:
        return PageButton(page)
    kind, _, key = where.partition(":")
    if kind not in ScopeKind.__members__.values() or not key or key != key.strip():
        return None
    return PageButton(page, Scope(ScopeKind(kind), key))


def _rank(rest: str) -> RankButton | None:
    board, _, period = rest.partition(":")
    if board not in Board.__members__.values() or period not in Period.__members__.values():
        return None
    return RankButton(Board(board), Period(period))


def _order(rest: str) -> OrderButton | None:
    verb, _, number = rest.partition(":")
    if verb not in OrderVerb.__members__.values() or not _REV.fullmatch(number):
        return None
    return OrderButton(OrderVerb(verb), int(number))


def _step(rest: str) -> StepButton | None:
    verb, _, number = rest.partition(":")
    if verb not in StepVerb.__members__.values() or not _REV.fullmatch(number):
        return None
    return StepButton(StepVerb(verb), int(number))


def _link(url: str) -> LinkButton | None:
    if not url.startswith(_LINK_SCHEMES) or not url.isprintable() or " " in url:
        return None
    return LinkButton(url)

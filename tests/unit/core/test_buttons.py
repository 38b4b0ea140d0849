"""The button codec: every payload reads back as it went, fits Telegram, and garbage is None."""

from __future__ import annotations

import pytest

from core.buttons import (
    MAX_DATA_BYTES,
    DialogButton,
    LinkButton,
    PageButton,
    Payload,
    Scope,
    ScopeKind,
    TicketButton,
    UnsendableButton,
    decode,
    encode,
    link_url,
)
from core.tickets import Action

LONGEST_CODE = "HZ-261128-9999"
# As long as an id in plant.yaml gets in practice: a team named by department, line and shift.
LONG_ID = "EQUIP-LINE3-ELECTRICAL-NIGHT-SHIFT-B"


@pytest.mark.parametrize("payload", [
    TicketButton(Action.DUPLICATE, LONGEST_CODE),
    TicketButton(Action.ACCEPT, "HZ-1"),
    DialogButton(1, "submit"),
    DialogButton(999_999, LONGEST_CODE),
    DialogButton(999_999, LONG_ID),
    DialogButton(12, "a:b"),
    DialogButton(3, "主轴箱"),
    PageButton(1),
    PageButton(999_999, Scope(ScopeKind.TEAM, LONG_ID)),
    PageButton(2, Scope(ScopeKind.AREA, "MACH")),
    LinkButton("https://t.me/safetyloop_demo_bot?start=report"),
])
def test_every_payload_reads_back_as_it_went_within_telegrams_64_bytes(payload: Payload) -> None:
    data = encode(payload)
    assert decode(data) == payload
    if not isinstance(payload, LinkButton):
        assert len(data.encode()) <= MAX_DATA_BYTES


def test_the_data_keeps_the_shape_buttons_already_sent_carry() -> None:
    assert encode(TicketButton(Action.ACCEPT, "HZ-261128-0001")) == "t:accept:HZ-261128-0001"
    assert encode(DialogButton(7, "ELEC")) == "d:7:ELEC"
    assert encode(PageButton(2, Scope(ScopeKind.AREA, "MACH"))) == "o:2:a:MACH"
    assert encode(PageButton(3)) == "o:3"
    assert encode(LinkButton("https://example.com/x")) == "url:https://example.com/x"


def test_a_payload_too_long_for_telegram_is_refused_when_made_not_when_pressed() -> None:
    with pytest.raises(UnsendableButton):
        encode(DialogButton(1, "X" * 70))
    with pytest.raises(UnsendableButton):
        encode(DialogButton(1, "两行\n文字"))


@pytest.mark.parametrize("data", [
    "", "t", "t:", "t:accept", "t:accept:", "t:explode:HZ-1", "t:ACCEPT:HZ-1",
    "t:accept:HZ 1", "t:accept:HZ-1\n", "t:accept:" + "9" * 41,
    "d", "d:7", "d:7:", "d:x:ELEC", "d:-1:ELEC", "d:7: ", "d:1234567890:x",
    "d:1:" + "x" * 61, "d:1:a\x00b",
    "o:", "o:abc", "o:1:x:MACH", "o:1:a:", "o:1:a: MACH", "o:1:t",
    "url:", "url:javascript:alert(1)", "url:ftp://example.com", "url:https://a b",
    "x:1:2", "T:accept:HZ-1", "accept",
])
def test_forged_or_garbled_data_reads_as_nothing(data: str) -> None:
    assert decode(data) is None


def test_an_absurd_page_number_reads_as_a_page_that_does_not_exist() -> None:
    assert decode("o:99999999999999999999") == PageButton(0)
    assert decode("o:-3") == PageButton(-3)


def test_a_channel_learns_from_the_codec_which_buttons_are_links() -> None:
    assert link_url("url:https://t.me/bot?start=report") == "https://t.me/bot?start=report"
    assert link_url("t:accept:HZ-1") is None
    assert link_url("d:1:url:https://example.com") is None
    assert link_url("url:javascript:alert(1)") is None

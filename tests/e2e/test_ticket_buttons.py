"""The buttons on a ticket come from the transition table, for the person reading the card."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.buttons import DialogButton, PageButton, Scope, ScopeKind, TicketButton, decode, encode
from core.tickets import TRANSITIONS, Action, Status, Ticket, Validity
from handlers import render
from tests.chat import Chat, Said, msg

ZH = "zh_CN"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def last_buttons(said: Said, person: str) -> list[str]:
    """The labels of the last row of buttons `person` saw."""
    row = [line for line in said.of(person) if line.startswith("[1] ")][-1]
    return re.findall(r"\[\d+\] (.+?)(?=  \[|$)", row)


def labels(*actions: Action) -> list[str]:
    return [msg(ZH, f"action.{action}") for action in actions]


def test_every_action_of_the_transition_table_has_its_place_on_a_card() -> None:
    assert sorted(render.EVERY_ACTION) == sorted(TRANSITIONS)
    assert len(set(render.EVERY_ACTION)) == len(render.EVERY_ACTION)


def test_the_team_group_card_shows_what_the_state_allows_in_the_order_people_know(
    chat: Chat,
) -> None:
    ticket = chat.report()
    shown = {
        status: [decode(data) for _, data in render.ticket_buttons(
            chat.plant, replace(ticket, status=status), among=render.WORK)]
        for status in Status
    }
    assert {status: [b.action for b in buttons if isinstance(b, TicketButton)]
            for status, buttons in shown.items()} == {
        Status.REPORTED: [Action.ACCEPT, Action.REJECT, Action.REASSIGN],
        Status.ACKNOWLEDGED: [Action.START, Action.REJECT, Action.REASSIGN],
        Status.IN_PROGRESS: [Action.DONE],
        Status.RESOLVED: [Action.CLOSE, Action.REOPEN],
        Status.CLOSED: [],
        Status.REJECTED: [],
    }


def test_a_card_shows_each_reader_only_what_they_may_do(chat: Chat) -> None:
    ticket = chat.report()
    rejected = replace(ticket, status=Status.REJECTED, validity=Validity.PENDING)

    def actions(reader: str, among: tuple[Action, ...] = render.EVERY_ACTION,
                which: Ticket = ticket) -> list[Action]:
        buttons = render.ticket_buttons(chat.plant, which, reader=reader, among=among)
        return [p.action for _, data in buttons if isinstance(p := decode(data), TicketButton)]

    assert actions("TL-MECH", render.WORK) == [Action.ACCEPT, Action.REJECT, Action.REASSIGN]
    assert actions("TL-ELEC", render.WORK) == []  # another team's lead
    assert actions("SO1", render.JUDGE) == [Action.VALID, Action.DUPLICATE, Action.INVALID]
    assert actions("SO1", render.DECIDE, rejected) == [Action.UPHOLD, Action.OVERRULE]
    assert actions("W01") == []
    assert actions("SO1") == [Action.REJECT, Action.REASSIGN, Action.VALID, Action.DUPLICATE,
                              Action.INVALID]


def test_an_escalated_card_offers_the_safety_manager_no_button_they_may_not_press(
    chat: Chat,
) -> None:
    chat.report()  # serious: 4 h to accept, then 4 h for the department head
    head = chat.run("W01", "!wait 5h")
    manager = chat.run("W01", "!wait 4h")

    assert last_buttons(head, "DH-EQUIP") == labels(Action.ACCEPT, Action.REJECT,
                                                    Action.REASSIGN)
    # ... and the safety manager alone may grade it a major hazard from there
    assert last_buttons(manager, "SM") == labels(Action.REJECT, Action.REASSIGN, Action.MAJOR)


def test_every_id_of_the_demo_plant_fits_in_the_data_of_a_button(chat: Chat) -> None:
    plant = chat.plant
    ids = [*(a.id for a in plant.areas), *(t.id for t in plant.teams),
           *(c.id for c in plant.categories), *plant.equipment_by_code]
    for value in ids:
        assert decode(encode(DialogButton(99_999, value))) == DialogButton(99_999, value)
    for team in plant.teams:
        page = PageButton(99_999, Scope(ScopeKind.TEAM, team.id))
        assert decode(encode(page)) == page

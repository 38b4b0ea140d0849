"""Conversations keep a typed record per flow, and read back what the previous version saved."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.dialog import ChatKey, Conversation, StoredRecord
from core.tickets import Action
from handlers.drafts import FollowUpDraft, LocationSource, ReportDraft
from tests.chat import Chat, msg

ZH = "zh_CN"
W01 = ChatKey("terminal", "W01", "W01")


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path)
    yield chat
    chat.close()


def stored(chat: Chat, key: ChatKey) -> Conversation:
    with chat.app.services.uow() as uow:
        found = uow.conversations.get(key)
    assert found is not None, f"no conversation for {key}"
    return found


def overwrite(chat: Chat, conversation: Conversation, data: dict[str, Any]) -> None:
    """Store the conversation with `data` as its JSON, as another version would have."""
    conversation.data = StoredRecord(data=data)
    with chat.app.services.uow() as uow:
        uow.conversations.save(conversation)
        uow.commit()


def to_the_summary(chat: Chat) -> None:
    photo = chat.photo("hazard.jpg", (200, 40, 40))
    chat.run("W01", "/report", f"!photo {photo}", "!press 1", "!location 31.3172 120.7208 12",
             "CNC-07", "主轴防护罩破损，铁屑飞溅", "!press 2", "!press 2")


def test_a_report_saved_by_the_previous_version_is_submitted_after_the_upgrade(
    chat: Chat,
) -> None:
    to_the_summary(chat)
    conversation = stored(chat, W01)
    [photo] = conversation.data.to_data()["photos"]
    # The free dict the previous version kept, key for key, at the summary it had shown.
    overwrite(chat, conversation, {
        "photos": [photo], "area": "MACH", "location": [31.3172, 120.7208, 12.0],
        "location_source": "message", "equipment": "CNC-07", "equipment_given": True,
        "description": "主轴防护罩破损，铁屑飞溅", "category": "mechanical", "urgency": "serious",
        "offered": {"rev": conversation.rev,
                    "choices": [["提交", "submit"], ["修改", "edit"], ["取消", "cancel"]]},
    })
    again = chat.restart()
    try:
        # The summary's submit button, as the previous version sent it.
        said = again.run("W01", f"!button d:{conversation.rev}:submit")

        assert msg(ZH, "error.internal") not in said
        ticket = again.ticket()
        assert (ticket.area, ticket.equipment, ticket.category, ticket.urgency) == (
            "MACH", "CNC-07", "mechanical", "serious")
        assert ticket.photos == [photo] and ticket.location_source == "message"
        assert ticket.location is not None and ticket.location.accuracy_m == 12.0
    finally:
        again.close()


def test_a_saved_report_missing_a_field_asks_for_it_instead_of_failing(chat: Chat) -> None:
    to_the_summary(chat)
    conversation = stored(chat, W01)
    damaged = {k: v for k, v in conversation.data.to_data().items() if k != "category"}
    overwrite(chat, conversation, damaged)

    said = chat.run("W01", "!press 1")  # submit

    assert msg(ZH, "error.internal") not in said
    assert msg(ZH, "report.ask_category") in said.text("W01")
    assert chat.records() == []


def test_a_follow_up_this_version_cannot_read_ends_politely_and_changes_nothing(
    chat: Chat,
) -> None:
    code = chat.report().code
    chat.run("TL-MECH", f"!button t:reject:{code}")
    lead = ChatKey("terminal", "TL-MECH", "TL-MECH")
    overwrite(chat, stored(chat, lead), {"action": "reject", "handle": ""})  # no ticket

    said = chat.run("TL-MECH", "这台设备已经停用")

    assert msg(ZH, "error.internal") not in said
    assert said.of("TL-MECH")[0] == msg(ZH, "conversation.expired")
    assert chat.ticket(code).status == "reported"


def test_each_flow_stores_its_record_with_the_keys_it_always_had(chat: Chat) -> None:
    to_the_summary(chat)
    report = stored(chat, W01).data.to_data()
    assert {"photos", "area", "location", "location_source", "equipment", "description",
            "category", "urgency", "offered"} <= report.keys()
    code = chat.report("W02").code
    chat.run("TL-MECH", f"!button t:reassign:{code}")
    follow_up = stored(chat, ChatKey("terminal", "TL-MECH", "TL-MECH")).data.to_data()
    assert (follow_up["code"], follow_up["action"]) == (code, "reassign")


def test_a_record_reads_back_what_it_wrote_and_leaves_out_what_it_cannot_read() -> None:
    draft = ReportDraft(photos=["a" * 64], area="MACH", urgency=None,
                        location_source=LocationSource.EXIF, editing=True)
    assert ReportDraft.from_data(draft.to_data()) == draft
    garbled = ReportDraft.from_data({"photos": "x", "location": ["n", 1], "urgency": ["serious"],
                                     "location_source": {}, "editing": "yes", "area": 7})
    assert garbled == ReportDraft()
    follow_up = FollowUpDraft(code="HZ-1", action=Action.OVERRULE, reason="仍需维修")
    assert FollowUpDraft.from_data(follow_up.to_data()).reason == "仍需维修"

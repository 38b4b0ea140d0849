"""The whole hazard loop over Telegram: a DM report, the team's buttons, photos and locations."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from handlers.i18n import t
from tests.e2e.telegram_harness import (
    MECH_GROUP,
    MOUNTS,
    ON_SITE,
    Harness,
    buttons,
    jpeg,
    report_in_dm,
    running,
)
from tests.fakes import FakeChat, FakeUser


@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_report_told_in_a_dm_reaches_the_team_lead_and_the_team_group(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        code = await report_in_dm(h)
        _, lead_chat = h.dm("TL-MECH")
        card = await h.said(lead_chat, code)
        group_card = await h.said(MECH_GROUP, code)
        ticket = h.tickets()[0]
    assert card["photo"] and group_card["photo"]               # the hazard photo, as a card
    assert buttons(card) == [f"t:accept:{code}", f"t:reject:{code}", f"t:reassign:{code}"]
    assert buttons(group_card) == buttons(card)
    assert ticket.code == code and ticket.team == "MECH" and ticket.equipment == "CNC-07"
    assert (ticket.lat, ticket.lon, ticket.accuracy_m) == (*ON_SITE, 12.0)


@pytest.mark.parametrize("mount", MOUNTS)
async def test_the_loop_closes_with_presses_edits_and_an_after_photo(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        code = await report_in_dm(h)
        officer, officer_chat = h.dm("SO1")
        lead, lead_chat = h.dm("TL-MECH")
        reporter_chat = tg.private_chat(h.user("W01"))
        validate = await h.said(officer_chat, code)
        tg.press(officer, validate, f"t:valid:{code}")
        edited = await tg.wait_for(lambda: [e for e in tg.edits if e["chat_id"] == officer_chat.id],
                                   what="the officer's card edited")
        card = await h.said(lead_chat, code)
        tg.press(lead, card, f"t:accept:{code}")
        await h.said(reporter_chat, "周杰")
        nxt = await tg.wait_for(lambda: next((m for m in reversed(tg.sent(lead_chat.id))
                                              if f"t:start:{code}" in buttons(m)), None))
        tg.press(lead, nxt, f"t:start:{code}")
        done = await tg.wait_for(lambda: next((m for m in reversed(tg.sent(lead_chat.id))
                                               if f"t:done:{code}" in buttons(m)), None))
        tg.press(lead, done, f"t:done:{code}")
        await h.said(lead_chat, "📷")
        tg.send_photo(lead, lead_chat, jpeg((40, 200, 40)))
        close = await tg.wait_for(lambda: next((m for m in reversed(tg.sent(officer_chat.id))
                                                if f"t:close:{code}" in buttons(m)), None))
        tg.press(officer, close, f"t:close:{code}")
        await h.said(reporter_chat, "🎉")
        ticket = h.tickets()[0]
        unanswered = dict(tg.open_callbacks)
    assert ticket.status == "closed" and ticket.after_photo is not None
    assert unanswered == {} and len(tg.answered_callbacks) == 9  # every press was answered
    assert edited[0]["reply_markup"] is None or "inline_keyboard" not in edited[0]["reply_markup"]
    accepted = tg.message(card["chat"]["id"], card["message_id"])
    assert accepted is not None and "reply_markup" not in accepted
    assert "✅" in accepted["caption"]                          # the photo card shows the outcome
    before_after = [m for m in tg.sent(reporter_chat.id) if m.get("photo")]
    assert before_after, "the reporter sees the before/after picture"


@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_pressed_question_shows_the_choice_instead_of_its_buttons(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        await report_in_dm(h)
        _, chat = h.dm("W01")
        keyboards = [[b["text"] for row in m["reply_markup"]["inline_keyboard"] for b in row]
                     for m in h.tg.sent(chat.id) if m.get("reply_markup")]
    urgency, submit = t("zh-CN", "severity.serious"), t("zh-CN", "button.submit")
    assert [f"✓ {urgency}"] in keyboards and [f"✓ {submit}"] in keyboards


async def start_report(h: Harness, person: str = "W01") -> tuple[FakeUser, FakeChat]:
    user, chat = h.dm(person)
    h.tg.send_text(user, chat, "/report")
    await h.said(chat, "📷")
    return user, chat


@pytest.mark.parametrize("mount", MOUNTS)
async def test_the_largest_photo_size_is_downloaded_into_the_photo_store_at_once(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        user, chat = await start_report(h)
        image = jpeg()
        update = h.tg.send_photo(user, chat, image)
        await h.said(chat, t("zh-CN", "report.photo_received", count=1))
        largest = update["message"]["photo"][-1]
        downloads = list(h.tg.downloads)
        stored = h.app.services.photos.exists(hashlib.sha256(image).hexdigest())
    assert downloads == [h.tg.files[largest["file_id"]].file_path]
    assert stored


@pytest.mark.parametrize("mount", MOUNTS)
async def test_an_image_sent_as_a_file_keeps_its_exif_location(tmp_path: Path, mount: str) -> None:
    async with running(tmp_path, mount) as h:
        user, chat = await start_report(h)
        h.tg.send_document(user, chat, jpeg(gps=True), "IMG_0042.JPG", "image/jpeg")
        h.press(user, await h.keyboard(chat, 2))                # photos done
        await h.said(chat, t("zh-CN", "report.location_from_photo", area="机加工车间"))
        await h.said(chat, "🔧")


@pytest.mark.parametrize("mount", MOUNTS)
async def test_other_files_and_oversize_images_are_refused_clearly(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount, max_photo_mb=1) as h:
        user, chat = await start_report(h)
        h.tg.send_document(user, chat, b"%PDF-1.4 inspection", "report.pdf", "application/pdf")
        await h.said(chat, t("zh-CN", "photo.not_an_image"))
        h.tg.send_document(user, chat, b"\xff\xd8" + bytes(1_500_000), "big.jpg", "image/jpeg")
        await h.said(chat, t("zh-CN", "photo.too_large", limit=1))
        downloads = list(h.tg.downloads)
    assert downloads == []                                      # neither was fetched


@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_live_location_is_accepted_with_its_accuracy(tmp_path: Path, mount: str) -> None:
    async with running(tmp_path, mount) as h:
        user, chat = await start_report(h)
        h.tg.send_photo(user, chat, jpeg())
        h.press(user, await h.keyboard(chat, 2))
        await h.said(chat, "📍")
        h.tg.send_location(user, chat, *ON_SITE, horizontal_accuracy=35.0, live_period=900)
        await h.said(chat, "🔧")
        h.tg.send_text(user, chat, "/cancel")
        await h.said(chat, t("zh-CN", "cancelled"))


async def test_the_command_menu_is_set_in_chinese_and_english(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        chinese = h.tg.commands_for(language_code="zh")
        english = h.tg.commands_for(language_code="en")
        default = h.tg.commands_for()
    assert {"command": "report", "description": "上报隐患"} in chinese
    assert {"command": "report", "description": "Report a hazard"} in english
    assert default == chinese                                   # the demo plant speaks zh-CN

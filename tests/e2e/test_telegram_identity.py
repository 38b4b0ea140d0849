"""Who is who on Telegram: roster ids, the phone-number button, and one-time invite links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handlers.i18n import t
from integrations.claims import ALL_COMMANDS
from tests.e2e.telegram_harness import MOUNTS, jpeg, running


@pytest.mark.parametrize("mount", MOUNTS)
async def test_start_asks_for_the_phone_number_and_binds_the_account(
    tmp_path: Path, mount: str,
) -> None:
    # A host bot keeps its own /start unless it hands it over, as this one does.
    async with running(tmp_path, mount, commands=ALL_COMMANDS) as h:
        tg = h.tg
        stranger = tg.user(555001, "杨帆")                     # W03 on a new phone
        chat = tg.private_chat(stranger)
        tg.send_text(stranger, chat, "/start")
        asked = await h.reply(chat, 1)
        tg.send_contact(stranger, chat, "+86 138 0000 0018")
        bound = await h.reply(chat, 2)
        tg.send_text(stranger, chat, "/points")
        points = await h.reply(chat, 3)
    assert asked["text"] == t("zh-CN", "identity.unknown")
    button = asked["reply_markup"]["keyboard"][0][0]
    assert button == {"text": t("zh-CN", "telegram.share_phone"), "request_contact": True}
    assert asked["reply_markup"]["one_time_keyboard"] is True
    assert bound["text"] == t("zh-CN", "identity.bound", name="杨帆")
    assert bound["reply_markup"] == {"remove_keyboard": True}
    assert points["text"] == t("zh-CN", "points.balance", balance=0)


async def test_someone_elses_contact_card_binds_nobody(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        tg = h.tg
        stranger = tg.user(555002, "Mallory")
        chat = tg.private_chat(stranger)
        tg.send_contact(stranger, chat, "13800000001", own=False, first_name="王建国")
        refused = await h.reply(chat, 1)
        tg.send_text(stranger, chat, "/points")
        still = await h.reply(chat, 2)
    assert refused["text"] == still["text"] == t("zh-CN", "identity.unknown")


async def test_a_strangers_photo_is_not_even_downloaded(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        tg = h.tg
        stranger = tg.user(555003, "Eve")
        chat = tg.private_chat(stranger)
        tg.send_photo(stranger, chat, jpeg())
        tg.send_document(stranger, chat, jpeg(), "IMG_1.JPG", "image/jpeg")
        told = await tg.wait_for_messages(chat.id, 2)
        downloads = list(tg.downloads)
    assert [m["text"] for m in told] == [t("zh-CN", "identity.unknown")] * 2
    assert downloads == [], "who is known is the handlers' question, asked before any fetch"


@pytest.mark.parametrize("mount", MOUNTS)
async def test_an_admin_invite_link_binds_its_first_user_only(tmp_path: Path, mount: str) -> None:
    async with running(tmp_path, mount) as h:
        tg = h.tg
        admin, admin_chat = h.dm("ADMIN")
        worker, worker_chat = h.dm("W05")
        tg.send_text(worker, worker_chat, "/invite W04")
        refused = await h.reply(worker_chat, 1)
        tg.send_text(admin, admin_chat, "/invite W04")
        issued = await h.reply(admin_chat, 1)
        link = re.search(r"https://t\.me/safetyloop_bot\?start=([A-Za-z0-9_-]+)", issued["text"])
        assert link is not None
        newcomer = tg.user(555003, "徐静")
        chat = tg.private_chat(newcomer)
        tg.send_text(newcomer, chat, f"/start {link.group(1)}")  # what opening the link sends
        welcome = await h.reply(chat, 1)
        tg.send_text(newcomer, chat, "/points")
        points = await h.reply(chat, 2)
        latecomer = tg.user(555004, "Eve")
        late_chat = tg.private_chat(latecomer)
        tg.send_text(latecomer, late_chat, f"/start {link.group(1)}")
        too_late = await h.reply(late_chat, 1)
        with h.app.services.uow() as uow:
            bound = uow.directory.person_for("telegram", "555003")
            actions = [e.action for e in uow.audit.entries()]
    assert refused["text"] == t("zh-CN", "invite.admins_only")
    assert welcome["text"] == t("zh-CN", "identity.bound", name="徐静")
    assert points["text"] == t("zh-CN", "points.balance", balance=0)
    assert too_late["text"] == t("zh-CN", "invite.invalid")
    assert bound == "W04"
    assert {"InviteIssued", "InviteRedeemed", "InviteRefused"} <= set(actions)


@pytest.mark.parametrize("mount", MOUNTS)
async def test_an_expired_invite_is_refused(tmp_path: Path, mount: str) -> None:
    async with running(tmp_path, mount) as h:
        now = datetime.now(UTC)
        with h.app.services.uow() as uow:
            uow.invites.add(token="expired-token-123", person="W04", created_by="ADMIN",
                            created_at=now - timedelta(days=8),
                            expires_at=now - timedelta(days=1))
            uow.commit()
        newcomer = h.tg.user(555005, "徐静")
        chat = h.tg.private_chat(newcomer)
        h.tg.send_text(newcomer, chat, "/start expired-token-123")
        refused = await h.reply(chat, 1)
    assert refused["text"] == t("zh-CN", "invite.invalid")

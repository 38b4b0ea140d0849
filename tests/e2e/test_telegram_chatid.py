"""`/chatid` in a Telegram group: the id and the plant.yaml line, for admins only."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.i18n import t
from tests.e2e.telegram_harness import MECH_GROUP, MOUNTS, running

NEW_GROUP = -1009876543210


@pytest.mark.parametrize("mount", MOUNTS)
async def test_an_admin_gets_a_new_groups_id_and_the_line_to_paste(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        admin = h.user("ADMIN")
        group = h.tg.group(NEW_GROUP, "冲压班")
        h.tg.send_text(admin, group, "/chatid")
        answer = await h.reply(group, 1)
    assert answer["text"] == t("zh-CN", "chatid.group", chat_id=NEW_GROUP,
                               line=f"telegram_chat_id: {NEW_GROUP}", known="")
    assert f"\ntelegram_chat_id: {NEW_GROUP}" in answer["text"]


@pytest.mark.parametrize("mount", MOUNTS)
async def test_in_a_team_group_the_answer_also_names_the_team_it_belongs_to(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        admin = h.user("ADMIN")
        h.tg.send_text(admin, h.tg.group(MECH_GROUP, "机械维修班"), "/chatid@safetyloop_bot")
        answer = await h.reply(MECH_GROUP, 1)
    assert f"telegram_chat_id: {MECH_GROUP}" in answer["text"]
    assert t("zh-CN", "chatid.known", team="机械维修班", team_id="MECH") in answer["text"]


@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_worker_asking_for_the_id_is_refused_politely(tmp_path: Path, mount: str) -> None:
    async with running(tmp_path, mount) as h:
        worker = h.user("M01")
        group = h.tg.group(NEW_GROUP, "冲压班")
        h.tg.send_text(worker, group, "/chatid")
        answer = await h.reply(group, 1)
    assert answer["text"] == t("zh-CN", "chatid.admins_only")
    assert str(NEW_GROUP) not in answer["text"]


@pytest.mark.parametrize("mount", MOUNTS)
async def test_in_a_private_chat_the_bot_explains_that_chatid_works_in_groups(
    tmp_path: Path, mount: str,
) -> None:
    async with running(tmp_path, mount) as h:
        admin, dm = h.dm("ADMIN")
        h.tg.send_text(admin, dm, "/chatid")
        answer = await h.reply(dm, 1)
    assert answer["text"] == t("zh-CN", "chatid.in_dm")

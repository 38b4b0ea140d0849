"""Team group chats: the handlers name a group neutrally, WeCom sends it as an app chat."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, select

from core.messages import OutMessage
from handlers.context import Notifier
from storage.tables import OutboxRow
from tests.fakes.wecom_rig import rig


async def test_a_team_notice_is_queued_for_the_groups_plain_id_and_reaches_the_app_chat(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path) as r:
        with r.app.services.uow() as uow:
            Notifier(r.app.services, uow).to_team_groups("MECH", "chatid.admins_only")
            uow.commit()
        with Session(r.app.engine) as session:
            rows = list(session.execute(select(OutboxRow)).scalars())
        assert [(row.channel, row.address, row.payload["group"]) for row in rows] == [
            ("wecom", "wrMECH", True)]
        await r.app.worker.drain()
        assert [m.msgtype for m in r.fake.chat_messages["wrMECH"]] == ["text"]
        assert not r.fake.sent.get("wrMECH"), "a group id is no user"


async def test_a_group_message_queued_by_an_older_version_still_reaches_the_app_chat(
    tmp_path: Path,
) -> None:
    async with rig(tmp_path) as r:
        with r.app.services.uow() as uow:
            uow.outbox.put(OutMessage("wecom", "group:wrELEC", "排队中的旧消息"), r.clock.now())
            uow.commit()
        await r.app.worker.drain()
        [sent] = r.fake.chat_messages["wrELEC"]
        assert sent.payload["text"]["content"] == "排队中的旧消息"

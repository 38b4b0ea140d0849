"""How neutral replies look on Telegram: long captions, long texts, retries half-way, edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.base import RetryLater, Undeliverable
from core.messages import Button, OutMessage
from tests.e2e.telegram_harness import jpeg, running


def out(chat: int, text: str, **extra: object) -> OutMessage:
    return OutMessage(channel="telegram", address=str(chat), text=text, **extra)  # type: ignore[arg-type]


async def test_a_caption_too_long_for_a_photo_follows_it_and_a_half_sent_message_resumes(
    tmp_path: Path,
) -> None:
    async with running(tmp_path) as h:
        tg, channel = h.tg, h.plugin.channel
        _, chat = h.dm("W01")
        message = out(chat.id, "长" * 2000, buttons=(Button("Accept", "t:accept:HZ-1"),),
                      image="sha")
        tg.fail_next("sendMessage", 1, status=502)
        with pytest.raises(RetryLater):
            await channel.send(message, jpeg())
        handle = await channel.send(message, jpeg())
        sent = tg.sent(chat.id)
        photos = tg.calls.count("sendPhoto")
    assert photos == 1                                          # the photo was not sent again
    assert [bool(m.get("photo")) for m in sent] == [True, False]
    assert "caption" not in sent[0] and sent[1]["text"] == "长" * 2000
    assert sent[1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "t:accept:HZ-1"
    assert handle == f"{chat.id}:{sent[1]['message_id']}"


async def test_a_long_text_is_split_with_the_buttons_on_the_last_part(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        _, chat = h.dm("W01")
        text = "\n".join(f"第{i}行 " + "字" * 60 for i in range(100))
        await h.plugin.channel.send(out(chat.id, text, buttons=(Button("OK", "d:1:ok"),)), None)
        sent = h.tg.sent(chat.id)
    assert len(sent) == 2 and all(len(m["text"]) <= 4096 for m in sent)
    assert "\n".join(m["text"] for m in sent) == text
    assert not sent[0].get("reply_markup") and sent[1]["reply_markup"]


async def test_an_edit_of_a_vanished_message_is_told_as_a_new_one(tmp_path: Path) -> None:
    async with running(tmp_path) as h:
        tg, channel = h.tg, h.plugin.channel
        _, chat = h.dm("W01")
        first = await channel.send(out(chat.id, "请确认", buttons=(Button("OK", "d:1:ok"),)), None)
        assert first is not None
        same = await channel.send(out(chat.id, "已确认", edit=first), None)
        unchanged = await channel.send(out(chat.id, "已确认", edit=first), None)
        tg.deleted.add((chat.id, int(first.split(":")[1])))
        await channel.send(out(chat.id, "已处理", edit=first), None)
        texts = [m["text"] for m in tg.sent(chat.id)]
        with pytest.raises(Undeliverable):
            await channel.send(out(999_999, "nobody"), None)   # a chat Telegram does not know
    assert same == unchanged == first                           # "not modified" is success
    assert texts == ["已确认", "已处理"]

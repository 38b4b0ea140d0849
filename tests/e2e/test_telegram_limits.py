"""Telegram's length limits, counted as Telegram counts them: UTF-16 code units, so an emoji
outside the BMP counts twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.channels.telegram.outbound import CAPTION_LIMIT, TEXT_LIMIT
from bot.channels.text import split, utf8_bytes, utf16_units
from core.messages import Button, OutMessage
from tests.e2e.telegram_harness import MOUNTS, ON_SITE, buttons, jpeg, running

FIRE = "🔥"  # U+1F525: one character, two UTF-16 code units


@pytest.mark.parametrize("mount", MOUNTS)
async def test_a_description_of_600_emoji_still_reaches_the_submit_button(
    tmp_path: Path, mount: str,
) -> None:
    description = FIRE * 600  # 600 characters, 1,200 code units: more than a caption holds
    async with running(tmp_path, mount) as h:
        tg = h.tg
        user, chat = h.dm("W01")
        tg.send_text(user, chat, "/report")
        await h.said(chat, "📷")
        tg.send_photo(user, chat, jpeg())
        h.press(user, await h.keyboard(chat, 2))                 # photos done
        await h.said(chat, "📍")
        tg.send_location(user, chat, *ON_SITE, horizontal_accuracy=12.0)
        await h.said(chat, "🔧")
        tg.send_text(user, chat, "CNC-07")
        await h.said(chat, "✍️")
        tg.send_text(user, chat, description)
        h.press(user, await h.keyboard(chat, 7), 2)              # category: mechanical
        h.press(user, await h.keyboard(chat, 8), 2)              # urgency: serious
        summary = await h.said(chat, description)
        h.press(user, summary, 1)                                # submit
        submitted = await h.said(chat, "HZ-")
        found = re.search(r"HZ-\d{6}-\d{4}", submitted["text"])
        assert found is not None
        _, lead_chat = h.dm("TL-MECH")
        card = await h.said(lead_chat, found.group())
        dead = [row for row in h.outbox() if row.status == "dead"]
    assert buttons(summary)[0].endswith(":submit") and not summary.get("photo")
    assert buttons(card) and dead == []
    assert all(utf16_units(m.get("caption") or "") <= CAPTION_LIMIT for m in tg.sent(chat.id))


async def test_a_long_emoji_text_is_split_by_code_units_with_the_buttons_last(
    tmp_path: Path,
) -> None:
    text = "\n".join(f"{n} " + FIRE * 1000 for n in range(3))    # ~6,000 code units
    async with running(tmp_path) as h:
        _, chat = h.dm("W01")
        message = OutMessage("telegram", str(chat.id), text, buttons=(Button("OK", "d:1:ok"),))
        await h.plugin.channel.send(message, jpeg())
        sent = h.tg.sent(chat.id)
    texts = [m["text"] for m in sent if "text" in m]
    assert sent[0].get("photo") and "caption" not in sent[0]     # too long for a caption
    assert all(utf16_units(piece) <= TEXT_LIMIT for piece in texts)
    assert "\n".join(texts) == text
    assert sent[-1]["reply_markup"] and not any(m.get("reply_markup") for m in sent[:-1])


def test_one_splitter_measures_as_each_platform_does() -> None:
    line = FIRE * 1500                   # 1,500 characters, 3,000 code units, 6,000 bytes
    text = f"{line}\n{line}"
    assert split(text, TEXT_LIMIT, utf16_units) == [line, line]      # Telegram: a line each
    assert [len(p) for p in split(text, 2000, utf8_bytes)] == [500] * 6  # WeCom: by bytes
    assert split(FIRE * 3, 4, utf16_units) == [FIRE * 2, FIRE]       # never half an emoji
    assert split(FIRE * 3, 4, len) == [FIRE * 3]  # as Python counts: how captions overflowed

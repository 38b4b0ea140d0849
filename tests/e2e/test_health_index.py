"""/index in chat: the departments ranked by the safety health index with the change on the
month before, in Chinese and English, and the PNG bar chart; numbers by hand
(tests/trend_data.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reports.ranking_chart import BAR, WIDTH_PX
from tests.chat import Chat, msg
from tests.e2e.test_rankings import picture_of
from tests.trend_data import local, november, store
from tests.unit.reports.test_ranking_chart import bars

ZH, EN = "zh-CN", "en"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    chat = Chat(tmp_path, start=local(2026, 12, 10))
    store(chat.app.engine, november(chat.plant))
    yield chat
    chat.close()


def board(lang: str, lines: list[str]) -> str:
    return msg(lang, "index.board", heading=msg(lang, "index.heading", month="2026-11"),
               lines="\n".join(lines))


def test_index_ranks_the_departments_with_the_change_in_both_languages(chat: Chat) -> None:
    said = chat.run("SM", "/index 2026-11")
    text = [line for line in said.of("SM") if not line.startswith("🖼")]
    # PROD 74.9 and ADMIN 74.2 against 80.0 each in October
    assert "\n".join(text) == board(ZH, ["1. 生产部：74.9（较上月 -5.1）",
                                         "2. 行政部：74.2（较上月 -5.8）"])
    chat.run("SM", "/lang en")
    english = [line for line in chat.run("SM", "/index 2026-11").of("SM")
               if not line.startswith("🖼")]
    assert "\n".join(english) == board(EN, ["1. Production: 74.9 (-5.1 on last month)",
                                            "2. Administration: 74.2 (-5.8 on last month)"])


def test_the_chart_is_a_png_with_one_bar_per_department_healthiest_on_top(chat: Chat) -> None:
    image = picture_of(chat, chat.run("DH-PROD", "/index 2026-11"), "DH-PROD")
    assert image.width == WIDTH_PX
    found = bars(image)
    assert [colour for colour, _ in found] == [BAR, BAR]
    top, second = (length for _, length in found)
    assert top >= second and abs(second - top * 74 / 75) <= 3  # bars of 75 and 74


def test_a_bad_month_gets_the_usage_and_a_worker_is_refused(chat: Chat) -> None:
    assert chat.run("SM", "/index 2026-13").text("SM") == msg(ZH, "index.usage")
    assert chat.run("SM", "/index soon").text("SM") == msg(ZH, "index.usage")
    assert chat.run("W01", "/index").text("W01") == msg(ZH, "index.not_allowed")

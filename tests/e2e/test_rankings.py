"""/rank: this month (plant time) or all time, by people, teams or departments, with my own
place when it is below the top ten; in both languages; the bar chart sent in chat, checked
as an image; spending in the shop does not lower anyone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from core.ledger import EntryKind, LedgerEntry
from core.plant import Person
from reports.ranking_chart import BAR, MINE, WIDTH_PX
from tests.chat import DEMO_PLANT, Chat, Said, msg
from tests.databases import plant_from
from tests.unit.reports.test_ranking_chart import bars

ZH, EN = "zh-CN", "en"
# Twelve busy reporters, so that W01 is not in the top ten: 95, 90, … 40 points.
BUSY = [Person(id=f"X{n:02d}", name=f"测试员{n:02d}", department="PROD") for n in range(1, 13)]
# The month starts at 00:00 on 1 November in Suzhou, 16:00 UTC on 31 October.
LAST_MONTH = datetime(2026, 10, 31, 15, 0, tzinfo=UTC)  # 23:00 on 31 October in Suzhou
THIS_MONTH = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 00:30 on 1 November in Suzhou


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[Chat]:
    demo = plant_from(DEMO_PLANT)
    chat = Chat(tmp_path, plant=replace(demo, people=(*demo.people, *BUSY)))
    yield chat
    chat.close()


def entry(chat: Chat, person: str, delta: int, at: datetime,
          kind: EntryKind = EntryKind.AWARD) -> None:
    with chat.app.services.uow() as uow:
        uow.points.append(LedgerEntry(person=person, kind=kind, delta=delta, reason="valid",
                                      actor="SO1", at=at))
        uow.commit()


@pytest.fixture
def scores(chat: Chat) -> int:
    """Points across the plant; W01's come from a real report judged valid (their number)."""
    for n, person in enumerate(BUSY, start=1):
        entry(chat, person.id, 100 - 5 * n, THIS_MONTH)
    for person, points in (("TL-MECH", 30), ("E01", 25), ("M01", 20)):
        entry(chat, person, points, THIS_MONTH)
    entry(chat, "W02", 200, LAST_MONTH)
    entry(chat, "W02", -150, THIS_MONTH, EntryKind.REDEEM)  # spent: still earned
    chat.report()
    chat.run("SO1", "!press 1")  # valid
    return chat.ticket().points


def test_my_place_is_shown_below_the_top_ten_this_month(chat: Chat, scores: int) -> None:
    said = chat.run("W01", "/rank").of("W01")
    heading = msg(ZH, "rank.heading", board=msg(ZH, "rank.of.people"),
                  period=msg(ZH, "rank.period.month", month="2026-11"))
    assert said[0] == f"🏆 {heading}"
    assert said[1] == "1. 测试员01 (X01) — 95"
    assert said[10] == "10. 测试员10 (X10) — 50"
    assert said[11] == "…"
    # X11, X12, TL-MECH, E01, M01 come between; W02 earned last month only
    assert said[12] == f"16. 马晓东 (W01) — {scores} 👈"
    assert said[13] == msg(ZH, "rank.place", place=16, count=16)
    assert not any("W02" in line for line in said)


def test_all_time_counts_last_month_and_ignores_what_was_spent(chat: Chat, scores: int) -> None:
    said = chat.run("W02", "/rank all").of("W02")  # W02 reads English
    heading = msg(EN, "rank.heading", board=msg(EN, "rank.of.people"),
                  period=msg(EN, "rank.period.all"))
    assert said[:2] == [f"🏆 {heading}", "1. 林嘉欣 (W02) — 200 👈"]
    assert msg(EN, "rank.place", place=1, count=17) in said
    assert said[-1] == "[1] This month  [2] Teams  [3] Departments"


def test_teams_and_departments_rank_what_their_people_earned(chat: Chat, scores: int) -> None:
    teams = chat.run("M01", "/rank team").of("M01")
    assert teams[1:4] == ["1. 机械维修班 — 50 👈", "2. 电气维修班 — 25",
                          msg(ZH, "rank.unit_place", unit="机械维修班", place=1, count=2)]
    departments = chat.run("W01", "/rank dept all").of("W01")
    prod = sum(100 - 5 * n for n in range(1, 13)) + 200 + scores
    assert departments[1:3] == [f"1. 生产部 — {prod} 👈", "2. 设备部 — 75"]
    no_team = chat.run("W02", "/rank team").of("W02")
    assert msg(EN, "rank.no_team") in no_team


def test_the_buttons_switch_board_and_period_and_a_forged_one_changes_nothing(
    chat: Chat, scores: int,
) -> None:
    chat.run("W01", "/rank")
    teams = chat.run("W01", "!press 班组").of("W01")
    assert teams[0].startswith("🏆 本月（2026-11）班组积分排行")
    assert teams[-1] == "[1] 累计  [2] 个人  [3] 部门"
    forged = chat.run("W01", "!button rk:bosses:all", "/rank yesterday").of("W01")
    assert forged == [msg(ZH, "button.stale"), msg(ZH, "rank.usage")]


def test_nobody_with_points_is_said_plainly(chat: Chat) -> None:
    said = chat.run("W01", "/rank").of("W01")
    assert said[1] == msg(ZH, "rank.nobody", heading="x").splitlines()[1]
    assert not any(line.startswith("🖼") for line in said)


def picture_of(chat: Chat, said: Said, person: str) -> Image.Image:
    """The picture a person was sent, as drawn (the original PNG in the photo store)."""
    [line] = [line for line in said.of(person) if line.startswith("🖼")]
    prefix = re.match(r"🖼 ([0-9a-f]{12})", line)
    assert prefix
    [path] = (chat.settings.media_dir / prefix[1][:2]).glob(f"{prefix[1]}*.orig")
    image = Image.open(path)
    assert image.format == "PNG"
    return image.convert("RGB")


def test_the_chart_in_chat_has_the_top_ten_and_my_own_bar(chat: Chat, scores: int) -> None:
    said = chat.run("W01", "/rank")
    image = picture_of(chat, said, "W01")
    assert image.width == WIDTH_PX
    found = bars(image)
    assert [colour for colour, _ in found] == [BAR] * 10 + [MINE]
    lengths = [length for _, length in found]
    assert lengths == sorted(lengths, reverse=True)  # 95 down to 50, then W01's few
    assert abs(lengths[-1] - lengths[0] * scores / 95) <= 3

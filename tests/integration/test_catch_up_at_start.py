"""A ticket that fell due while the bot was down is escalated once when it comes back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image

from bot.app import build_app
from bot.channels.terminal import TerminalChannel
from bot.process import sweep
from bot.settings import Settings
from bot.shell import Shell
from core.clock import SimClock

START = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


async def test_a_long_outage_escalates_one_level_not_the_whole_ladder(tmp_path: Path) -> None:
    printed: list[str] = []
    clock = SimClock(START)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", data_dir=tmp_path)
    terminal = TerminalChannel(printed.append)
    app = build_app(settings, channels={"terminal": terminal}, clock=clock)
    photo = tmp_path / "hazard.jpg"
    Image.new("RGB", (64, 48), (200, 40, 40)).save(photo)
    shell = Shell(app, terminal, "W01", clock)
    for line in ("/report", f"!photo {photo}", "!press 1", "!press 5", "none",
                 "通道堆放纸箱", "!press 5", "!press 1", "!press 1"):
        await shell.line(line)
    assert any("HZ-261128-0001" in line for line in printed)

    clock.advance(timedelta(days=3))  # the process was down for three days
    printed.clear()
    restarted = build_app(settings, channels={"terminal": terminal}, clock=clock)
    sweep(restarted)
    sweep(restarted)
    await restarted.worker.drain()

    escalated = [line for line in printed if "超时升级" in line]
    assert escalated == ["[DH-EQUIP] ⚠️ 超时升级（第 1 级），请督办"]
    with restarted.services.uow() as uow:
        ticket = uow.tickets.get("HZ-261128-0001")
    assert ticket is not None and ticket.escalation_level == 1
    assert ticket.due_at == clock.now() + timedelta(hours=4)

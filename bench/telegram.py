"""Telegram throughput: updates handled per second through the full adapter on the fake Bot API.

Beside it, in the same run and on the same fake server, a bare python-telegram-bot echo
bot (one MessageHandler that replies with the text) sets the baseline; the ratio between
the two is the number to compare across machines. Each update is a command from a person
of the demo plant; it is "handled" when its reply has reached the fake server (for the
adapter: dedupe, identify, handler, outbox commit, delivery worker, sendMessage).

    .venv/bin/python bench/telegram.py [--n 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Run as a plain script, Python puts bench/ on the path, not the repo root the packages live
# in; and this file's name would hide the `telegram` package: swap bench/ for the root.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from storage.plantfile import load_plant  # noqa: E402
from tests.e2e.telegram_harness import running  # noqa: E402
from tests.fakes import FakeChat, FakeTelegram, FakeUser  # noqa: E402

TOKEN = "123:ABC"
PLANT = ROOT / "config" / "demo-plant.yaml"


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    total_s: float

    @property
    def rate(self) -> float:
        return self.count / self.total_s if self.total_s else float("inf")

    def line(self) -> str:
        return f"{self.name:<44} {self.count:>6} {self.total_s:>8.3f} {self.rate:>10.1f}"


def people(tg: FakeTelegram) -> list[tuple[FakeUser, FakeChat]]:
    """Everyone of the demo plant with a Telegram account, each in a DM with the bot."""
    out = []
    for person in load_plant(PLANT).people:
        if person.telegram_id is not None:
            user = tg.user(person.telegram_id, person.name)
            out.append((user, tg.private_chat(user)))
    return out


def replies(tg: FakeTelegram) -> int:
    return sum(len(ids) for ids in tg.bot_messages.values())


async def measure(name: str, tg: FakeTelegram, n: int, text: str) -> Row:
    """Inject n commands round-robin over the people; time until n replies have arrived."""
    chats = people(tg)
    before = replies(tg)
    started = time.perf_counter()
    for i in range(n):
        user, chat = chats[i % len(chats)]
        tg.send_text(user, chat, text)
    await tg.wait_for(lambda: replies(tg) - before >= n, timeout=300, what=f"{n} replies")
    return Row(name, n, time.perf_counter() - started)


async def echo_baseline(n: int) -> Row:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    async with FakeTelegram(token=TOKEN) as tg:
        application = (Application.builder().token(TOKEN).base_url(tg.base_url)
                       .base_file_url(tg.base_file_url).job_queue(None).build())
        application.add_handler(MessageHandler(filters.TEXT, echo))
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0)
            row = await measure("baseline: bare PTB echo bot", tg, n, "/points")
            await application.updater.stop()
            await application.stop()
    return row


async def adapter(folder: Path, n: int, *, per_second: float, label: str) -> Row:
    """The full adapter, wired exactly as the end-to-end tests wire it."""
    async with running(folder, telegram_messages_per_second=per_second) as h:
        return await measure(label, h.tg, n, "/points")


async def run(n: int, paced: bool) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="safetyloop-bench-") as tmp:
        folder = Path(tmp)
        runs: list[Callable[[], Any]] = [
            lambda: echo_baseline(n),
            lambda: adapter(folder / "lifted", n, per_second=1e6,
                            label="adapter: /points, pacing lifted"),
        ]
        if paced:
            runs.append(lambda: adapter(folder / "paced", n, per_second=30,
                                        label="adapter: /points, Telegram's 30/s pacing"))
        return [await make() for make in runs]


def report(rows: list[Row]) -> None:
    print(f"{'name':<44} {'N':>6} {'total s':>8} {'updates/s':>10}")
    for row in rows:
        print(row.line())
    baseline, full = rows[0], rows[1]
    print(f"\nadapter ÷ bare echo bot: {full.rate / baseline.rate:.3f} "
          f"(one update through the adapter costs {baseline.rate / full.rate:.1f} echoes)")
    print("an update counts when its reply has reached the fake server; setup excluded")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="updates per run (default 200)")
    parser.add_argument("--no-paced", action="store_true",
                        help="skip the run at Telegram's real 30 messages/s")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")
    # PTB logs every getUpdates retry; the numbers are the point here.
    logging.basicConfig(level=logging.WARNING)
    report(asyncio.run(run(args.n, not args.no_paced)))


if __name__ == "__main__":
    main()

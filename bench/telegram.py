"""Telegram throughput: updates handled per second, SafetyLoop beside a bare echo bot.

Each row is a bot on the fake Bot API server in this process: a bare echo bot (one
handler that replies with the text) sets the baseline for its framework, and SafetyLoop
is measured against it — the full built-in adapter against a bare python-telegram-bot
echo bot, and SafetyLoop mounted in an aiogram bot (`integrations.aiogram`) against a bare
aiogram echo bot (and, for comparison, mounted in a PTB bot). The ratios are the numbers
to compare across machines. Each update is a command from a person of the demo plant; it
is "handled" when its reply has reached the fake server (for SafetyLoop: kept in the
inbound queue, deduped, identified, handled, outbox committed, delivered, sendMessage).
Every configuration runs `--runs` times, interleaved; the medians are reported, since a
shared machine is noisy.

    .venv/bin/python bench/telegram.py [--n 200] [--runs 3] [--no-paced]

What bounds it (py-spy, per-thread CPU, SQL statement counts; 2 shared cores): every row
is CPU-bound on one core (the GIL), so a ratio is about CPU per update. An echo bot spends
1.5 (aiogram) to 1.9 ms (PTB) on an update: its poll, parse and reply, and the fake
server's side of them. The built-in adapter spent 8.6 ms: the ORM in 8.4 statements and
2.3 commits per update, httpx checking on every request each idle connection a 50-message
claim had left, a failed `import sniffio` per request, each polled update parsed and
serialised again before it was kept, a worker thread per rate-limit tidy-up. It now spends
5.1 ms (aiogram mount 10.7 → 5.4, PTB mount 11.7 → 5.7), in 5.5 statements and 1.35
commits: updates kept as polled, plain SQL built once, the plant file's accounts answered
from the loaded plant, updates kept, done and messages marked sent in shared transactions
(`bot/group_commit.py`), only as many sends in flight as the call time needs
(`bot/send_slots.py`). Left: the reply's sendMessage (as the echo's), the handling
transaction (~1.3 ms; a third of it the command's own ORM reads of preferences,
conversation and points), the update parsed once more, thread hand-offs. Ratios, medians of
3 (n=1000): built in 0.24 → 0.34, aiogram mount 0.14 → 0.26, PTB mount 0.18 → 0.33; at
n=200 the built-in row read 0.24 → 0.38.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

# Run as a plain script, Python puts bench/ on the path, not the repo root the packages live
# in; and this file's name would hide the `telegram` package: swap bench/ for the root.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.plantfile import read_plant  # noqa: E402
from tests.e2e.telegram_harness import running  # noqa: E402
from tests.fakes import FakeChat, FakeTelegram, FakeUser  # noqa: E402

TOKEN = "123:ABC"
PLANT = ROOT / "config" / "demo-plant.yaml"
PTB_ECHO = "baseline: bare PTB echo bot"
BUILTIN = "SafetyLoop built in (PTB), pacing lifted"
PTB_MOUNT = "SafetyLoop mounted in a PTB bot"
AIOGRAM_ECHO = "baseline: bare aiogram echo bot"
AIOGRAM_MOUNT = "SafetyLoop mounted in an aiogram bot"
PACED = "SafetyLoop built in, Telegram's 30/s pacing"
# (SafetyLoop's row, the echo bot it is measured against)
RATIOS = ((BUILTIN, PTB_ECHO), (AIOGRAM_MOUNT, AIOGRAM_ECHO), (PTB_MOUNT, PTB_ECHO))


@dataclass(frozen=True)
class Row:
    name: str
    count: int
    total_s: float

    @property
    def rate(self) -> float:
        return self.count / self.total_s if self.total_s else float("inf")


def people(tg: FakeTelegram) -> list[tuple[FakeUser, FakeChat]]:
    """Everyone of the demo plant with a Telegram account, each in a DM with the bot."""
    out = []
    for person in read_plant(PLANT).people:
        if "telegram" in person.accounts:
            user = tg.user(int(person.accounts["telegram"]), person.name)
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


async def ptb_echo(n: int) -> Row:
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
            row = await measure(PTB_ECHO, tg, n, "/points")
            await application.updater.stop()
            await application.stop()
    return row


async def aiogram_echo(n: int) -> Row:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    async with FakeTelegram(token=TOKEN) as tg:
        bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.root)))
        polling = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
        await tg.wait_for(lambda: "getUpdates" in tg.calls, what="aiogram polling")
        try:
            return await measure(AIOGRAM_ECHO, tg, n, "/points")
        finally:
            await dispatcher.stop_polling()
            await polling


async def safetyloop(folder: Path, n: int, name: str, *, mount: str = "builtin",
                     per_second: float = 1e6) -> Row:
    """SafetyLoop wired exactly as the end-to-end tests wire it, built in or mounted."""
    async with running(folder, mount, telegram_messages_per_second=per_second) as h:
        return await measure(name, h.tg, n, "/points")


async def run(n: int, runs: int, paced: bool) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = {}
    with tempfile.TemporaryDirectory(prefix="safetyloop-bench-") as tmp:
        folder = Path(tmp)
        configurations: dict[str, Callable[[int], Awaitable[Row]]] = {
            PTB_ECHO: lambda _: ptb_echo(n),
            BUILTIN: lambda i: safetyloop(folder / f"builtin-{i}", n, BUILTIN),
            AIOGRAM_ECHO: lambda _: aiogram_echo(n),
            AIOGRAM_MOUNT: lambda i: safetyloop(folder / f"aiogram-{i}", n, AIOGRAM_MOUNT,
                                                mount="aiogram"),
            PTB_MOUNT: lambda i: safetyloop(folder / f"ptb-{i}", n, PTB_MOUNT, mount="ptb"),
        }
        for i in range(runs):  # interleaved, so that a noisy minute hits every row alike
            for name, make in configurations.items():
                rows.setdefault(name, []).append(await make(i))
        if paced:
            rows[PACED] = [await safetyloop(folder / "paced", n, PACED, per_second=30)]
    return rows


def median_rate(rows: list[Row]) -> float:
    return statistics.median(row.rate for row in rows)


def report(rows: dict[str, list[Row]]) -> None:
    print(f"{'name':<44} {'N':>6} {'median/s':>9}  runs (updates/s)")
    for name, measured in rows.items():
        each = " ".join(f"{row.rate:.1f}" for row in measured)
        print(f"{name:<44} {measured[0].count:>6} {median_rate(measured):>9.1f}  {each}")
    print()
    for ours, echo in RATIOS:
        ratio = median_rate(rows[ours]) / median_rate(rows[echo])
        print(f"{ours} ÷ {echo.removeprefix('baseline: ')}: {ratio:.3f}")
    print("an update counts when its reply has reached the fake server; setup excluded")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="updates per run (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each bot (default 3)")
    parser.add_argument("--no-paced", action="store_true",
                        help="skip the run at Telegram's real 30 messages/s")
    args = parser.parse_args(argv)
    if args.n < 1 or args.runs < 1:
        parser.error("--n and --runs must be at least 1")
    # The frameworks log every getUpdates retry and every update; the numbers are the point.
    logging.basicConfig(level=logging.WARNING)
    report(asyncio.run(run(args.n, args.runs, not args.no_paced)))


if __name__ == "__main__":
    main()

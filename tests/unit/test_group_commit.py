"""Group commit: callers that come while a write runs share the next one, and each returns
only once its own item is written."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from bot.group_commit import GroupCommit


class Store:
    """A blocking store whose writes can be held, as a slow transaction would be."""

    def __init__(self) -> None:
        self.writes: list[list[str]] = []
        self.go_on = threading.Event()
        self.go_on.set()
        self.fail_with: Exception | None = None
        self.lose: list[str] | None = None  # a batch rolled back once, as its writer dies

    def write(self, items: Sequence[str]) -> None:
        self.go_on.wait(5)
        if self.fail_with is not None:
            raise self.fail_with
        if list(items) == self.lose:
            self.lose = None
            return
        self.writes.append(list(items))

    def written(self) -> list[str]:
        return [item for batch in self.writes for item in batch]


async def until(condition: object, what: str) -> None:
    for _ in range(500):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


async def test_callers_that_come_during_a_write_share_the_next_transaction() -> None:
    store = Store()
    commit = GroupCommit(store.write)
    store.go_on.clear()
    first = asyncio.create_task(commit.put("a"))
    await asyncio.sleep(0.05)                          # "a" is being written, held
    later = [asyncio.create_task(commit.put(x)) for x in "bcd"]
    await asyncio.sleep(0.05)
    assert not any(task.done() for task in [first, *later])
    store.go_on.set()
    await asyncio.gather(first, *later)
    assert store.writes == [["a"], ["b", "c", "d"]]   # two transactions for four callers


async def test_a_caller_returns_only_once_its_own_item_is_written() -> None:
    store = Store()
    commit = GroupCommit(store.write)
    store.go_on.clear()
    task = asyncio.create_task(commit.put("x"))
    await asyncio.sleep(0.05)
    assert not task.done() and store.written() == []
    store.go_on.set()
    await task
    assert store.written() == ["x"]


async def test_a_failed_write_fails_every_caller_of_its_batch_and_the_next_writes_again() -> None:
    store = Store()
    commit = GroupCommit(store.write)
    store.go_on.clear()
    first = asyncio.create_task(commit.put("a"))
    await asyncio.sleep(0.05)
    second, third = (asyncio.create_task(commit.put(x)) for x in "bc")
    await asyncio.sleep(0.05)
    store.fail_with = RuntimeError("database is locked")
    store.go_on.set()
    for task in (first, second, third):
        with pytest.raises(RuntimeError, match="locked"):
            await task
    store.fail_with = None
    await commit.put("d")
    assert store.written() == ["d"]


async def test_items_of_a_writer_cancelled_mid_write_are_written_by_the_next_writer() -> None:
    store = Store()
    commit = GroupCommit(store.write)
    store.go_on.clear()
    store.lose = ["a"]                   # "a"'s own transaction will not commit
    first = asyncio.create_task(commit.put("a"))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(commit.put("b"))
    await asyncio.sleep(0.05)
    first.cancel()                       # nobody can tell whether "a" was committed
    with pytest.raises(asyncio.CancelledError):
        await first
    store.go_on.set()
    await second
    await until(lambda: "a" in store.written() and "b" in store.written(), "a and b written")

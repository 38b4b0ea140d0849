"""Group commit: small writes asked for while one is running go together in the next one.

Under load a burst of updates or of sent messages would each cost a transaction and a
hop to a worker thread; here the first caller writes what is queued, in a thread, while
the callers after it queue up behind; the next of them writes all of theirs in one
transaction. Every caller still returns only once its own item is committed, so what a
caller promised (an update kept before Telegram is told, a message marked sent before
the next claim) holds exactly as with a transaction of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupCommit(Generic[T]):
    """Calls `write` (blocking, one transaction) in a worker thread for batches of items.

    `write` must be idempotent: a batch whose writer was cancelled mid-write is written
    again by the next writer, since no one can tell whether it was committed.
    """

    def __init__(self, write: Callable[[Sequence[T]], None]) -> None:
        self._write = write
        self._queue: list[tuple[T, asyncio.Future[None]]] = []
        self._lock = asyncio.Lock()  # fair: callers write in the order they came

    async def put(self, item: T) -> None:
        """Return once `item` is committed (with others that came meanwhile)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((item, done))
        try:
            async with self._lock:
                if not done.done():  # not written by the writer before us: write all waiting
                    batch, self._queue = self._queue, []
                    await self._write_batch(batch)
        except asyncio.CancelledError:
            done.cancel()  # the item is still written; no one is left to hear how it went
            raise
        done.result()  # raises what the write raised

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        try:
            await asyncio.to_thread(self._write, [item for item, _ in batch])
        except asyncio.CancelledError:
            # Committed or not, nobody can tell: the items go back for the next writer.
            self._queue[:0] = batch
            raise
        except Exception as failed:
            for _, waiting in batch:
                if not waiting.done():
                    waiting.set_exception(failed)
            return
        for _, waiting in batch:
            if not waiting.done():
                waiting.set_result(None)

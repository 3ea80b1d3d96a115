"""The batch writer: every socket of a process stores its sends through one queue, written in batches.

The consumer only calls `store`; services.messages_store does the storing."""

import asyncio
import time

from asgiref.sync import sync_to_async
from django.db import connection

from chat import services


class BatchWriter:
    """One per process: sends from every socket queue here and are stored in batches on the database
    thread, each batch one INSERT statement (so one transaction, committed before anyone is told; see
    services.messages_store). While a batch is being written the next one gathers, so under load the
    commits grow larger instead of queueing one by one."""

    MAX_BATCH = 200

    def __init__(self):
        self.queue: asyncio.Queue = asyncio.Queue()
        self.task: asyncio.Task | None = None

    async def store(self, send):
        """Queue one send; its result (Posted or ChatRefusal) once the batch it went in is committed."""
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        done = asyncio.get_running_loop().create_future()
        await self.queue.put((send, done))
        return await done

    async def _run(self):
        while True:
            batch = [await self.queue.get()]
            while len(batch) < self.MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            try:
                results = await sync_to_async(_store_batch, thread_sensitive=True)([send for send, _ in batch])
            except Exception as exc:  # storage failed: every waiting sender hears so, nothing was stored
                for _send, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for (_send, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)


def _store_batch(sends):
    """On the database thread. Channels' database_sync_to_async closes old connections around every call,
    which makes the next query pay a health check (one more round trip per batch). Here a connection is
    only looked at when it failed or outlived CONN_MAX_AGE; a broken one is closed and the next batch
    connects again."""
    try:
        return services.messages_store(sends)
    finally:
        if connection.errors_occurred or connection.close_at is not None and time.monotonic() >= connection.close_at:
            connection.close_if_unusable_or_obsolete()


_writers: dict[int, BatchWriter] = {}


def writer_of_loop() -> BatchWriter:
    """The writer of the running event loop (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(id(loop))
    if writer is None or writer.task is not None and writer.task.get_loop() is not loop:
        writer = _writers[id(loop)] = BatchWriter()
    return writer


async def store(send: services.Send):
    """Store one send through the running event loop's writer."""
    return await writer_of_loop().store(send)

"""A read-only transaction that sees the database at one moment: what reports read from.

Its own engine without a pool, so that a process that only reads (a ledger being built in
a child process) opens one connection and closes it. `read_in_thread` runs such a read in a
worker thread with an event loop of its own: a county's points or 概览 take the worker
hundreds of milliseconds, during which the bot's loop goes on serving every other chat
(on SQLite the bot's own statements run on its loop: storage/sqlite_inline.py).

On PostgreSQL the transaction is REPEATABLE READ and READ ONLY; on SQLite the connection
refuses writes (query_only) and the transaction is begun explicitly, since the driver opens
none for reads and each SELECT would otherwise see the database as it is at that statement.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from storage.sqlite_inline import InlineDbapi

T = TypeVar("T")


def _sqlite_read_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # BEGIN is sent by _begin, not by the driver
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN")


@asynccontextmanager
async def read_only_session(url: str) -> AsyncIterator[AsyncSession]:
    """A session in one read-only snapshot transaction of the database at `url`."""
    # SQLite's statements on the calling thread (the worker's or the child's), not one
    # aiosqlite thread more per read.
    inline = {"module": InlineDbapi()} if url.startswith("sqlite+aiosqlite") else {}
    engine = create_async_engine(url, poolclass=NullPool, **inline)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_read_only)
        event.listen(engine.sync_engine, "begin", _begin)
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection = await connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            async with connection.begin():
                yield AsyncSession(bind=connection)
    finally:
        await engine.dispose()


async def _read(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async with read_only_session(url) as session:
        return await work(session)


async def read_in_thread(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work(session)` on a read-only snapshot of the database at `url`, in a worker thread
    with its own event loop and connection: what it reads commits nothing, and the caller's
    loop stays free (the worker holds the GIL only between switches, ~5 ms)."""
    return await asyncio.to_thread(asyncio.run, _read(url, work))

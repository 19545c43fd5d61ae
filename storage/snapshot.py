"""A read-only transaction that sees the database at one moment: what reports read from.

Its own engine without a pool, so that a process that only reads (a ledger being built in
a child process) opens one connection and closes it. On PostgreSQL the transaction is
REPEATABLE READ and READ ONLY; on SQLite the connection refuses writes (query_only) and
the transaction is begun explicitly, since the driver opens none for reads and each SELECT
would otherwise see the database as it is at that statement.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool


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
    engine = create_async_engine(url, poolclass=NullPool)
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

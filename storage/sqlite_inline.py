"""SQLite for SQLAlchemy's asyncio engine without a thread per connection (issue 9).

aiosqlite runs each connection in a thread of its own and crosses to it four times per
statement (cursor, execute, fetch, close) and again for commit and rollback. Profiled under
load (bench/updates.py), those crossings cost more than the statements: the event loop's
thread waited for the GIL behind the connection threads (a socket write took 24 % of the
process's samples, against 1 % in a bot without a database). SQLite is a library in our own
process: a statement on a warm page cache takes microseconds, less than one crossing.

So here a statement runs on the calling (event loop) thread. Two things must not block it:
- Waiting for another writer. SQLite's busy handler would sleep in the event loop's thread,
  and the writer it waits for may be a coroutine of this very loop, which could then never
  finish. The connection's busy timeout is 0; a statement refused with SQLITE_BUSY is tried
  again after an asyncio sleep, for up to BUSY_TIMEOUT seconds (what `busy_timeout` did),
  and other coroutines run meanwhile. Other refusals (SQLITE_BUSY_SNAPSHOT: a read
  transaction that can no longer write) are raised at once, as the busy handler would: the
  use case's transaction is re-run whole (storage.db.Database.retrying).
- The disk. With synchronous=NORMAL in WAL mode (storage/db.py) a commit writes to the WAL
  without fsync; only checkpoints sync, now and then.

Nothing in a transaction then waits for the event loop except a busy wait, so a use case
that only talks to the database runs from begin to commit without letting other coroutines
in, and holds one pooled connection for microseconds (storage.db.Database.transaction).
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.util.concurrency import await_

T = TypeVar("T")

# What `PRAGMA busy_timeout=5000` waited before: then "database is locked".
BUSY_TIMEOUT = 5.0
# The first pause after SQLITE_BUSY, doubled up to BUSY_PAUSE_MAX: a writer in this process
# holds its lock for a fraction of a millisecond unless its commit is syncing.
BUSY_PAUSE, BUSY_PAUSE_MAX = 0.0005, 0.02
_SQLITE_BUSY = 5


def _busy(error: sqlite3.OperationalError) -> bool:
    """Plain SQLITE_BUSY (another connection writes): worth waiting for."""
    return getattr(error, "sqlite_errorcode", None) == _SQLITE_BUSY


class InlineCursor:
    """A DBAPI cursor whose statements run on the calling thread; rows are fetched at once
    (as SQLAlchemy's adapted aiosqlite cursor does), so a result outlives the statement."""

    __slots__ = ("_adapt", "_cursor", "_rows")

    server_side = False

    def __init__(self, adapt: InlineConnection) -> None:
        self._adapt = adapt
        self._cursor = adapt.raw.cursor()
        self._rows: collections.deque[Any] = collections.deque()

    @property
    def description(self) -> Any:
        """The columns of the last statement's rows."""
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The rowid of the last row inserted."""
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        """fetchmany's default size."""
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def _async_soft_close(self) -> None:
        """Called by SQLAlchemy's async results: the rows are already here."""

    def close(self) -> None:
        """Forget the rows and the statement."""
        self._rows.clear()
        self._cursor.close()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        """Run one statement and take its rows."""
        cursor = self._cursor
        args = () if parameters is None else parameters
        self._adapt.run(lambda: cursor.execute(operation, args))
        if cursor.description is not None:
            self._rows = collections.deque(cursor.fetchall())
        return cursor

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        """Run one statement per set of parameters."""
        cursor = self._cursor
        rows = list(seq_of_parameters)
        return self._adapt.run(lambda: cursor.executemany(operation, rows))

    def setinputsizes(self, *_sizes: Any) -> None:
        """Not used by SQLite."""

    def __enter__(self) -> InlineCursor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any:
        """The next row, or None."""
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        """Up to `size` rows."""
        rows = self._rows
        return [rows.popleft() for _ in range(min(size or self.arraysize, len(rows)))]

    def fetchall(self) -> Sequence[Any]:
        """The remaining rows."""
        rows = list(self._rows)
        self._rows.clear()
        return rows


class InlineConnection(AsyncAdapt_dbapi_connection):
    """SQLAlchemy's view of one sqlite3 connection used from the event loop's thread."""

    __slots__ = ()

    def __init__(self, dbapi: Any, connection: sqlite3.Connection) -> None:
        super().__init__(dbapi, connection)  # type: ignore[arg-type]

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection."""
        return self._connection  # type: ignore[return-value]

    def run(self, step: Callable[[], T]) -> T:
        """`step()` now (SQLAlchemy's async engine insists on one await per statement: this
        one completes at once unless SQLITE_BUSY makes it pause)."""
        return await_(self._run(step))

    async def _run(self, step: Callable[[], T]) -> T:
        try:
            return step()
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
        deadline = time.monotonic() + BUSY_TIMEOUT
        pause = BUSY_PAUSE
        while True:
            await asyncio.sleep(pause)
            try:
                return step()
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() >= deadline:
                    raise
            pause = min(pause * 2, BUSY_PAUSE_MAX)

    def cursor(self, server_side: bool = False) -> InlineCursor:  # type: ignore[override]  # noqa: ARG002
        """A cursor (rows are always fetched at once)."""
        return InlineCursor(self)

    def commit(self) -> None:
        """Commit (nothing to do after reads only)."""
        raw = self.raw
        if raw.in_transaction:
            self.run(raw.commit)

    def rollback(self) -> None:
        """Roll back (no disk is touched)."""
        if self.raw.in_transaction:
            self.raw.rollback()

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()

    def terminate(self) -> None:
        """Close at once (what the pool does with a connection it gives up)."""
        self.raw.close()

    @property
    def isolation_level(self) -> str | None:
        """sqlite3's transaction mode (None: autocommit)."""
        return self.raw.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: Any) -> None:
        self.raw.isolation_level = value

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """Register an SQL function (SQLAlchemy's regexp)."""
        self.raw.create_function(*args, **kwargs)


class InlineDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect uses, with inline connections.

    The exceptions and constants stay aiosqlite's (they are sqlite3's own), so errors are
    translated exactly as before.
    """

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> InlineConnection:  # type: ignore[override]
        """A sqlite3 connection that never waits for a lock itself (busy timeout 0)."""
        kwargs.pop("async_creator_fn", None)
        kwargs.update(timeout=0, check_same_thread=False)
        return InlineConnection(self, sqlite3.connect(*args, **kwargs))

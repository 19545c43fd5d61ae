"""Engine, session factory and Database: one transaction at a time, retries, wakes."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.hot import Hot, HotCursor
from storage.snapshot import read_in_thread
from storage.sqlite_inline import InlineConnection, InlineDbapi

log = logging.getLogger(__name__)
T = TypeVar("T")


def dialect_insert(session: AsyncSession) -> Callable[[Any], Any]:
    """The INSERT construct with ON CONFLICT support for the session's database."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; for SQLite, the folder is created and foreign keys are enforced."""
    if url.startswith("sqlite") and ":memory:" not in url:
        Path(url.split(":///", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("postgresql"):
        # Each update may hold a connection for its chat's order lock beside the one of its
        # transaction: room for that, yet three processes stay under PostgreSQL's 100. All 30
        # stay open once made: with 10 kept and 20 overflow, a burst of 32 updates closed and
        # reopened connections all the time (~60 per 2,000 updates in bench/updates.py), each
        # a new server process, a handshake and every statement prepared again (issue 9).
        kwargs = {"pool_size": 30, "max_overflow": 0, **kwargs}
    if url.startswith("sqlite+aiosqlite"):
        # Statements on the event loop's thread, not one aiosqlite thread per connection
        # (storage/sqlite_inline.py: measured 2x faster per update).
        kwargs = {"module": InlineDbapi(), **kwargs}
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the writer.
    # synchronous=NORMAL (SQLite's advice for WAL): a commit does not wait for fsync, only
    # checkpoints do; the database stays consistent after any crash, and a commit survives the
    # process being killed (kill -9, OOM), but an OS crash or power cut may take back the last
    # commits before a checkpoint. FULL cost a thread hop and an fsync per press (~1.4 ms
    # here; issue 9), more than the rest of its transaction.
    # A second writer waits instead of failing at once: SQLite's busy handler (busy_timeout)
    # for a plain aiosqlite connection, an asyncio wait of the same length for an inline one.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    if not isinstance(dbapi_connection, InlineConnection):
        cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded values after commit (repositories return dataclasses)."""
    return async_sessionmaker(engine, expire_on_commit=False)


# Set in a session's `info` when it enqueued a delivery that is due at once.
DUE_NOW = "deliveries_due_now"
# A session's `info` key: (keys committed by this process, keys of this transaction).
_ONCE = "once_per_process"
ONCE_REMEMBERED = 10_000  # keys kept; past that the memory starts afresh (a few extra writes)

# A transaction that failed on a lock or a serialisation conflict is run again, at most
# RETRIES times in all, after a random pause of up to BACKOFF * 2**attempt seconds.
RETRIES = 5
BACKOFF = 0.02
# SQLITE_BUSY and SQLITE_LOCKED; PostgreSQL serialization_failure and deadlock_detected.
_SQLITE_TRANSIENT = frozenset({5, 6})
_POSTGRES_TRANSIENT = frozenset({"40001", "40P01"})
# A PostgreSQL transaction that reads one moment of the database and writes nothing.
_SNAPSHOT = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}


def is_transient(error: BaseException) -> bool:
    """A database failure that the same transaction, run again, can get past."""
    if not isinstance(error, DBAPIError) or error.connection_invalidated:
        return False
    orig = error.orig
    if getattr(orig, "sqlite_errorcode", None) in _SQLITE_TRANSIENT:
        return True
    if "database is locked" in str(orig):
        return True
    return getattr(orig, "pgcode", None) in _POSTGRES_TRANSIENT


def first_in_process(session: AsyncSession, key: Hashable) -> bool:
    """False when a committed transaction of this process already did what `key` names.

    For writes that need doing once (enqueue a notice refresh per 10-second slot): the
    key counts as done only once its transaction committed. Sessions not opened by
    Database have no memory and always answer True.
    """
    memo = session.info.get(_ONCE)
    if memo is None:
        return True
    done, pending = memo
    if key in done or key in pending:
        return False
    pending.add(key)
    return True


class _DeferredWakes:
    """Database.deferring_wakes's scope: a plain class, since every update enters one (an
    @asynccontextmanager costs a generator and its wrapper each time)."""

    __slots__ = ("_database", "_held", "_token")

    def __init__(self, database: Database) -> None:
        self._database = database
        self._held: list[bool] = []

    async def __aenter__(self) -> None:
        self._token = self._database._deferred.set(self._held)

    async def __aexit__(self, *_exc: object) -> None:
        self._database._deferred.reset(self._token)
        if self._held:
            self._database.on_due()


class Database:
    """The session factory, one transaction at a time, and who to wake for due deliveries.

    Whoever commits a delivery that is due now need not know who sends it: after the
    commit, `on_due` runs (the sweep wakes). Inside `deferring_wakes()` (one update being
    handled) the wake waits for the end of the scope, so a confirmation reply goes out
    before the message it announces.

    A use case whose transaction failed on a lock or a serialisation conflict runs again
    (`retrying`). On SQLite, writes come last and are short (a press reads first and writes
    one row), so a writer rarely waits for another; an in-process asyncio.Lock serialising
    writers was measured and rejected (issue 9): each await inside the turn waits a whole
    event-loop round under load, so writers queued ~8 ms each and throughput fell by a
    third, while SQLite's own busy handler lets the waits overlap.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = create_sessionmaker(engine)
        self.on_due: Callable[[], None] = lambda: None
        self._deferred: ContextVar[list[bool] | None] = ContextVar("deferred", default=None)
        self._once: set[Hashable] = set()
        self._inline = engine.dialect.is_async and isinstance(engine.dialect.dbapi, InlineDbapi)
        self._hot = Hot(engine)
        self.dialect: str = engine.dialect.name

    async def autocommit(self, work: Callable[[HotCursor], T]) -> T:
        """`work(cursor)` with compiled statements straight on a pooled connection, each
        statement its own transaction (storage/hot.py): for the commonest updates, which read
        and then write at most one statement. Everything else uses `transaction()`."""
        return await self._hot.run(work)

    def done_in_process(self, key: Hashable) -> bool:
        """A committed transaction of this process did what `key` names (first_in_process)."""
        return key in self._once

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session in one transaction: commits on success, rolls back on error."""
        pending: set[Hashable] = set()
        async with self._session() as session:
            session.info[_ONCE] = (self._once, pending)
            yield session
        self._remember(pending)
        if session.info.pop(DUE_NOW, False):
            self._due()

    def _session(self) -> AbstractAsyncContextManager[AsyncSession]:
        if not self._inline:
            # SQLAlchemy ends the transaction and closes the session in tasks of their own,
            # so that a cancelled caller cannot abandon a commit halfway through the network.
            return self.sessions.begin()
        return self._inline_session()

    @asynccontextmanager
    async def _inline_session(self) -> AsyncIterator[AsyncSession]:
        # SQLite on the loop's thread (storage/sqlite_inline.py): commit and close never wait
        # for the loop, so nothing can cancel them halfway, and the two tasks per transaction
        # of sessions.begin() (~40 µs, a third of an empty transaction) are not needed.
        session = self.sessions()
        try:
            async with session.begin():
                yield session
        finally:
            await session.close()

    @property
    def url(self) -> str:
        """Where the database is, for a thread or a child process to open it too."""
        return self.engine.url.render_as_string(hide_password=False)

    async def read_apart(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """`work(session)` on a read-only snapshot, for reads that take long: it sees what was
        committed before the call, not the caller's open transaction. On SQLite in a worker
        thread (storage/snapshot.py), since the bot's statements run on its loop; on
        PostgreSQL on the loop, whose driver waits for the server without holding it (a
        worker thread measured no better there: its socket reads contend for the GIL)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database not in {None, "", ":memory:"}:
            return await read_in_thread(self.url, work)
        async with self.transaction() as session:
            if url.get_backend_name() == "postgresql":
                await session.connection(execution_options=_SNAPSHOT)
            return await work(session)

    async def retrying(self, work: Callable[[], Awaitable[T]]) -> T:
        """`work()` (which runs its own transactions), again after a transient failure."""
        for attempt in range(1, RETRIES + 1):
            try:
                return await work()
            except DBAPIError as exc:
                if attempt == RETRIES or not is_transient(exc):
                    raise
                log.info("Transaction failed (%s); attempt %d of %d", exc.orig, attempt, RETRIES)
            await asyncio.sleep(random.uniform(0, BACKOFF * 2**attempt))
        raise AssertionError("unreachable")  # the last attempt returned or raised

    def remember(self, key: Hashable) -> None:
        """What `key` names was committed outside a transaction() (a hot statement did it):
        first_in_process answers False for it from now on."""
        self._remember({key})

    def _remember(self, keys: set[Hashable]) -> None:
        if len(self._once) + len(keys) > ONCE_REMEMBERED:
            self._once.clear()
        self._once |= keys

    def deferring_wakes(self) -> AbstractAsyncContextManager[None]:
        """Hold back wakes of the sweep until the scope ends (then wake once if needed)."""
        return _DeferredWakes(self)

    @asynccontextmanager
    async def chat_order(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's PostgreSQL advisory lock for the scope: updates of one chat are
        handled one after another even by several processes (no-op on SQLite, where one
        process runs). The lock lives on a connection of its own, held for the scope."""
        if self.engine.dialect.name != "postgresql":
            yield
            return
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": chat_id})
            try:
                yield
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": chat_id})
                await connection.commit()

    def _due(self) -> None:
        held = self._deferred.get()
        if held is None:
            self.on_due()
        elif not held:
            held.append(True)

    async def dispose(self) -> None:
        """Close every connection."""
        await self.engine.dispose()

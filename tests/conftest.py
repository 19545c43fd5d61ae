"""Shared fixtures: databases on every backend, sessions, a movable clock."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from bot.core import sandbox
from bot.core.clock import FakeClock
from storage.db import Database, create_engine, create_sessionmaker
from storage.migrate import upgrade

# PTB warns when it builds RetryAfter with an int; the tests turn warnings into errors.
os.environ.setdefault("PTB_TIMEDELTA", "1")

pytest_plugins = ["tests.emulator_fixtures", "tests.e2e.harness"]

# Child processes (ledgers, charts, uploads) at the tests' own priority: niced, they wait for
# CPU behind the other test workers, and their tests wait for them (bot/core/sandbox.py).
sandbox.RENICE = False

BASE_POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
# Parallel workers (pytest-xdist, `make test`) each get a database of their own beside
# TEST_DATABASE_URL's: every PostgreSQL test empties its database first.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
POSTGRES_URL = (
    make_url(BASE_POSTGRES_URL)
    .set(database=f"{make_url(BASE_POSTGRES_URL).database}_{WORKER}")
    .render_as_string(hide_password=False)
    if BASE_POSTGRES_URL and WORKER
    else BASE_POSTGRES_URL
)
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    """In CI the PostgreSQL tests are mandatory: refuse to run without them. A parallel
    worker creates its own database when it is missing."""
    if os.environ.get("CI") == "true" and not POSTGRES_URL:
        raise pytest.UsageError(
            "CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests must run"
        )
    if POSTGRES_URL != BASE_POSTGRES_URL:
        asyncio.run(_create_database(BASE_POSTGRES_URL, make_url(POSTGRES_URL).database or ""))


async def _create_database(base_url: str, name: str) -> None:
    engine = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not exists:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


def pytest_report_header() -> str:
    """Say which databases this run covers."""
    return f"database backends: {', '.join(BACKENDS)}"


async def reset_postgres(url: str) -> None:
    """Empty the test database: drop and recreate its public schema."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    _dropped.add(url)
    _emptied_at_heads.discard(url)


# Dropping the schema and running every migration again costs about 0.4 s of CPU in the test
# process (Alembic) and more in PostgreSQL, for each of ~630 PostgreSQL tests. A schema that
# this process migrated itself and that is still exactly so is emptied instead: every row
# deleted, every sequence restarted, in one statement.
_dropped: set[str] = set()  # databases whose schema this process dropped and not migrated since
_heads_fingerprint: dict[str, str] = {}  # the schema as this process migrated it to heads
_emptied_at_heads: set[str] = set()  # emptied with the schema kept: nothing to migrate

COLUMNS_FINGERPRINT = text(
    "SELECT md5(coalesce(string_agg(table_name || '.' || column_name || ':' || data_type"
    " || ':' || is_nullable || ':' || coalesce(column_default, ''), ','"
    " ORDER BY table_name, column_name), ''))"
    " FROM information_schema.columns WHERE table_schema = 'public'"
)
EMPTY_ALL_TABLES = text(
    """
    DO $$
    DECLARE name text;
    BEGIN
        -- Rows go in any order: no foreign key checks or triggers while emptying.
        SET LOCAL session_replication_role = replica;
        FOR name IN SELECT tablename FROM pg_tables
                WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
            EXECUTE format('DELETE FROM public.%I', name);
        END LOOP;
        FOR name IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
            EXECUTE format('ALTER SEQUENCE public.%I RESTART', name);
        END LOOP;
    END $$
    """
)


async def _schema_fingerprint(connection: AsyncConnection) -> str:
    """Every column of the public schema, and the revisions Alembic says it is at."""
    columns = str(await connection.scalar(COLUMNS_FINGERPRINT))
    if not await connection.scalar(text("SELECT to_regclass('public.alembic_version')")):
        return columns
    versions = await connection.scalars(text("SELECT version_num FROM alembic_version"))
    return f"{columns} {','.join(sorted(versions))}"


async def empty_postgres(url: str) -> None:
    """Empty the test database for a test that migrates it before its body runs: keep the
    schema if it is still as this process migrated it (deleting every row, restarting every
    sequence), else drop it as reset_postgres does."""
    expected = _heads_fingerprint.get(url)
    if expected is not None:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                kept = await _schema_fingerprint(connection) == expected
                if kept:
                    await connection.execute(EMPTY_ALL_TABLES)
        except DBAPIError:  # e.g. a role that may not turn off foreign key checks
            kept = False
        finally:
            await engine.dispose()
        if kept:
            _emptied_at_heads.add(url)
            return
    await reset_postgres(url)


_sqlite_template: list[Path] = []  # this test process's migrated SQLite file, once made


def _new_sqlite_file(url: str) -> str | None:
    """The path of a SQLite database that does not exist yet, else None."""
    database = make_url(url).database
    if url.startswith("sqlite") and database and not Path(database).exists():
        return database
    return None


async def migrated(url: str) -> None:
    """Migrate the database at `url` to the newest schema. A new SQLite file is a copy of
    this process's migrated template: the same schema, without running every migration
    again for each of the suite's ~1,300 SQLite bots (50 ms each)."""
    if url in _emptied_at_heads:
        _emptied_at_heads.discard(url)  # the test may change the schema from here on
        return
    if (database := _new_sqlite_file(url)) is None:
        await upgrade(url)
        if url in _dropped:
            _dropped.discard(url)
            await _remember_heads(url)
        return
    if not _sqlite_template:
        template = Path(tempfile.mkdtemp(prefix="schema-")) / "template.db"
        await upgrade(f"sqlite+aiosqlite:///{template}")
        _sqlite_template.append(template)
    shutil.copyfile(_sqlite_template[0], database)


async def _remember_heads(url: str) -> None:
    """Note the schema as migrated from empty by this process (PostgreSQL only)."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            _heads_fingerprint[url] = await _schema_fingerprint(connection)
    finally:
        await engine.dispose()


# Fixtures that migrate the database before the test's body uses it (bot_factory: with the
# first bot it starts): a test using one of them may get the schema kept and emptied
# (empty_postgres) instead of an empty database.
MIGRATE_FIRST = frozenset({"sessions", "bot", "bot_factory"})


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend in turn (SQLite always, PostgreSQL when set); for a
    test that migrates it first (MIGRATE_FIRST), on PostgreSQL, an emptied migrated one."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    if MIGRATE_FIRST.intersection(request.fixturenames):
        await empty_postgres(POSTGRES_URL)
    else:
        await reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A migrated database and its session factory."""
    await migrated(database_url)
    engine = create_engine(database_url)
    yield create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated database behind the project's Database (transactions, retries, reads apart)."""
    await migrated(database_url)
    found = Database(create_engine(database_url))
    yield found
    await found.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """Thursday 2026-11-26 10:00 in Beijing."""
    return FakeClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))

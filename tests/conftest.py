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
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.clock import FakeClock
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade

# PTB warns when it builds RetryAfter with an int; the tests turn warnings into errors.
os.environ.setdefault("PTB_TIMEDELTA", "1")

pytest_plugins = ["tests.emulator_fixtures", "tests.e2e.harness"]

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
    if (database := _new_sqlite_file(url)) is None:
        await upgrade(url)
        return
    if not _sqlite_template:
        template = Path(tempfile.mkdtemp(prefix="schema-")) / "template.db"
        await upgrade(f"sqlite+aiosqlite:///{template}")
        _sqlite_template.append(template)
    shutil.copyfile(_sqlite_template[0], database)


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend in turn (SQLite always, PostgreSQL when set)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
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
def clock() -> FakeClock:
    """Thursday 2026-11-26 10:00 in Beijing."""
    return FakeClock(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))

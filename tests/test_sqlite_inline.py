"""SQLite on the event loop's thread (storage/sqlite_inline.py): no threads, and a writer
waiting for another never blocks the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from storage import sqlite_inline
from storage.db import Database, create_engine, is_transient
from storage.migrate import upgrade
from storage.models import User
from storage.repositories import UserRepo

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade(url)
    found = Database(create_engine(url))
    yield found
    await found.dispose()


async def _count(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def test_statements_start_no_thread(database: Database) -> None:
    before = threading.active_count()
    for n in range(1, 6):
        async with database.transaction() as session:
            await UserRepo(session).upsert(n, username=None, display_name="x", now=NOW)
    assert await _count(database) == 5
    assert threading.active_count() == before


async def test_a_writer_waits_for_another_without_blocking_the_loop(database: Database) -> None:
    holding, release = asyncio.Event(), asyncio.Event()
    ticks = 0

    async def first() -> None:
        async with database.transaction() as session:
            await UserRepo(session).upsert(1, username=None, display_name="x", now=NOW)
            holding.set()
            await release.wait()  # the write lock is held across the loop

    async def second() -> None:
        await holding.wait()
        async with database.transaction() as session:
            await UserRepo(session).upsert(2, username=None, display_name="y", now=NOW)

    async def ticker() -> None:
        nonlocal ticks
        while not release.is_set():
            ticks += 1
            await asyncio.sleep(0.005)

    async def later() -> None:
        await asyncio.sleep(0.2)
        release.set()

    await asyncio.gather(first(), second(), ticker(), later())
    assert await _count(database) == 2
    assert ticks >= 10  # the loop ran on while `second` waited for the lock


async def test_a_lock_held_too_long_is_a_transient_failure(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_inline, "BUSY_TIMEOUT", 0.05)
    holding, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with database.transaction() as session:
            await UserRepo(session).upsert(1, username=None, display_name="x", now=NOW)
            holding.set()
            await release.wait()

    async def second() -> None:
        await holding.wait()
        try:
            with pytest.raises(OperationalError, match="database is locked") as raised:
                async with database.transaction() as session:
                    await UserRepo(session).upsert(2, username=None, display_name="y", now=NOW)
            assert is_transient(raised.value)  # Database.retrying runs the use case again
        finally:
            release.set()

    await asyncio.gather(first(), second())
    assert await _count(database) == 1

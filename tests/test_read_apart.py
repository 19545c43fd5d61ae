"""Database.read_apart: long reads in a worker thread, on a snapshot of their own."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import User
from storage.repositories import UserRepo

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
WAIT = 10.0  # seconds: only reached when something is broken


async def add_user(database: Database, user_id: int) -> None:
    async with database.transaction() as session:
        await UserRepo(session).upsert(user_id, username=None, display_name="党员", now=NOW)


async def users(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(User)) or 0)


async def test_the_loop_serves_others_while_a_read_runs_apart(database: Database) -> None:
    """The read is under way (waiting); meanwhile the loop commits a write, which the
    read's snapshot does not see (it sees the database as it was when it began)."""
    await add_user(database, 1)
    began, release = threading.Event(), threading.Event()

    async def slow(session: AsyncSession) -> tuple[int, int]:
        first = await users(session)
        began.set()
        # Stands for seconds of counting (in SQLite's worker thread, or awaiting PostgreSQL).
        assert await asyncio.to_thread(release.wait, WAIT)
        return first, await users(session)

    reading = asyncio.create_task(database.read_apart(slow))
    assert await asyncio.to_thread(began.wait, WAIT)
    await add_user(database, 2)  # the loop is free: another chat's write goes through
    release.set()
    assert await reading == (1, 1)
    assert await database.read_apart(users) == 2  # a new read sees what was committed


async def test_a_read_apart_cannot_write(database: Database) -> None:
    async def write(session: AsyncSession) -> None:
        await UserRepo(session).upsert(3, username="u3", display_name="党员", now=NOW)

    with pytest.raises(DBAPIError):
        await database.read_apart(write)
    assert await database.read_apart(users) == 0


async def test_an_error_in_the_read_reaches_the_caller(database: Database) -> None:
    async def broken(_session: AsyncSession) -> None:
        raise LookupError("none")

    with pytest.raises(LookupError):
        await database.read_apart(broken)

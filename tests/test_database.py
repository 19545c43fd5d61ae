"""Database (storage/db.py): transient failures retried, once-per-process keys, writers."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import pkgutil
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError

import bot.services
from bot.services.base import Service
from storage.db import Database, first_in_process, is_transient
from storage.models import User
from storage.repositories import UserRepo

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def locked() -> OperationalError:
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = 5  # type: ignore[attr-defined]
    return OperationalError("INSERT …", {}, error)


class PgError(Exception):
    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


def test_what_is_transient() -> None:
    assert is_transient(locked())
    assert is_transient(OperationalError("UPDATE …", {}, PgError("40001")))
    assert is_transient(OperationalError("UPDATE …", {}, PgError("40P01")))
    assert not is_transient(IntegrityError("INSERT …", {}, PgError("23505")))
    assert not is_transient(ValueError("database is locked"))


async def test_a_transient_failure_runs_the_work_again(database: Database) -> None:
    attempts = []

    async def work() -> int:
        attempts.append(1)
        async with database.transaction() as session:
            await UserRepo(session).upsert(len(attempts), username=None, display_name="x", now=NOW)
            if len(attempts) < 3:
                raise locked()
        return len(attempts)

    assert await database.retrying(work) == 3
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1  # 1, 2 undone


async def test_retries_are_bounded_and_other_errors_are_not_retried(database: Database) -> None:
    attempts = []

    async def always_locked() -> None:
        attempts.append(1)
        raise locked()

    with pytest.raises(OperationalError):
        await database.retrying(always_locked)
    assert len(attempts) == 5

    async def broken() -> None:
        attempts.append(1)
        raise IntegrityError("INSERT …", {}, PgError("23505"))

    attempts.clear()
    with pytest.raises(IntegrityError):
        await database.retrying(broken)
    assert len(attempts) == 1


async def test_a_key_counts_as_done_only_once_committed(database: Database) -> None:
    async def rolled_back() -> None:
        async with database.transaction() as session:
            assert first_in_process(session, "slot")
            raise RuntimeError  # rolled back: the write it stood for did not happen

    with pytest.raises(RuntimeError):
        await rolled_back()
    async with database.transaction() as session:
        assert first_in_process(session, "slot")
        assert not first_in_process(session, "slot")
    async with database.transaction() as session:
        assert not first_in_process(session, "slot")
        assert first_in_process(session, "other")


async def test_concurrent_writers_all_commit(database: Database) -> None:
    """Transactions that write, wait (another update's turn) and write again all commit."""

    async def write(n: int) -> None:
        async with database.transaction() as session:
            await UserRepo(session).upsert(n, username=None, display_name="x", now=NOW)
            await asyncio.sleep(0.01)
            await UserRepo(session).set_real_name(n, f"名{n}", NOW)

    # 20 writers queue for at most ~20 turns of 10 ms, far inside the 5 s busy wait even on a
    # loaded machine (40 ran past it there, with every turn slowed by the other workers).
    await asyncio.gather(*(write(n) for n in range(1, 21)))
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 20


def test_every_use_case_is_retried() -> None:
    """Each handler-facing method runs again, whole, after a transient failure."""
    # Every handler-facing service module, found by name: a new one cannot be left out.
    modules = [
        importlib.import_module(f"bot.services.{info.name}")
        for info in pkgutil.iter_modules(bot.services.__path__)
        if info.name.endswith("_service")
    ]
    assert len(modules) >= 14
    missing = []
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, Service) or cls is Service or cls.__module__ != module.__name__:
                continue
            for name, method in vars(cls).items():
                if name.startswith("_") or not inspect.iscoroutinefunction(method):
                    continue
                if not getattr(method, "retried", False) and name != "warm_up":
                    missing.append(f"{cls.__name__}.{name}")
    assert missing == []

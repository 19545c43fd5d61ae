"""Hot statements (storage/hot.py): the same values as through a session, one write each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.meetings import Rsvp
from storage.db import Database
from storage.hot import HotCursor
from storage.models import User
from storage.repositories import UserRepo
from storage.repositories.attendance import RSVP, upsert

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
_USER = select(User.id, User.display_name, User.can_dm, User.created_at).where(
    User.id == bindparam("user_id")
)
_RENAME = update(User).where(User.id == bindparam("of")).values(display_name=bindparam("name"))


@pytest.fixture
async def database(database: Database) -> Database:
    """conftest's migrated database, with one user (张三, id 7)."""
    async with database.transaction() as session:
        await UserRepo(session).upsert(7, username=None, display_name="张三", now=NOW)
    return database


async def test_rows_come_back_typed_as_through_a_session(database: Database) -> None:
    rows = await database.autocommit(lambda cursor: cursor.rows(_USER, user_id=7))
    async with database.transaction() as session:
        expected = (await session.execute(_USER, {"user_id": 7})).all()
    assert rows == [tuple(row) for row in expected]
    assert rows[0][3] == NOW
    assert rows[0][3].tzinfo is not None  # UTC attached again


async def test_a_write_is_committed_and_counted(database: Database) -> None:
    changed = await database.autocommit(lambda cursor: cursor.execute(_RENAME, of=7, name="李四"))
    missing = await database.autocommit(lambda cursor: cursor.execute(_RENAME, of=8, name="王五"))
    assert (changed, missing) == (1, 0)
    async with database.transaction() as session:
        assert (await UserRepo(session).get(7)).display_name == "李四"  # type: ignore[union-attr]


async def test_driver_errors_come_out_as_sqlalchemy_errors(database: Database) -> None:
    def answer_of_nobody(cursor: HotCursor) -> int:
        keys = ("meeting_id", "user_id", *RSVP)
        statement = upsert(cursor.dialect, "meeting_answers", keys, RSVP)
        return cursor.execute(
            statement, meeting_id=999, user_id=999, rsvp=Rsvp.YES, answered_at=NOW, reason=None
        )

    with pytest.raises(IntegrityError):  # no such meeting or user: foreign keys hold
        await database.autocommit(answer_of_nobody)
    # The connection went back to the pool as it was: a transaction still rolls back whole.
    with pytest.raises(RuntimeError):
        await _abandoned(database)
    async with database.transaction() as session:
        assert await UserRepo(session).get(8) is None


async def _abandoned(database: Database) -> None:
    async with database.transaction() as session:
        await UserRepo(session).upsert(8, username=None, display_name="王五", now=NOW)
        raise RuntimeError("abandoned")

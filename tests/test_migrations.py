"""Alembic stairway: every revision upgrades, downgrades and upgrades again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

import storage.models  # noqa: F401  (the models the migrations must match)
from storage.db import create_engine
from storage.migrate import alembic_config, downgrade, upgrade
from storage.schema import Base


def steps() -> list[tuple[str, str]]:
    """Each revision with the one below it (features branch off and merge, so not a line)."""
    script = ScriptDirectory.from_config(alembic_config())
    pairs = []
    for rev in reversed(list(script.walk_revisions())):
        if isinstance(rev.down_revision, tuple):
            continue  # a merge point holds no operations of its own
        pairs.append((rev.revision, rev.down_revision or "base"))
    return pairs


async def table_names(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


@pytest.mark.parametrize(("revision", "previous"), steps())
async def test_stairway(database_url: str, revision: str, previous: str) -> None:
    """Up to the revision, down one step, up again: no leftovers, no failures."""
    await upgrade(database_url, revision)
    await downgrade(database_url, previous)
    await upgrade(database_url, revision)


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_head_matches_models(database_url: str) -> None:
    """The migrations build exactly what the models declare; downgrade empties."""
    await upgrade(database_url)
    assert await table_names(database_url) == set(Base.metadata.tables)
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
    await engine.dispose()
    await downgrade(database_url, "base")
    assert await table_names(database_url) == set()

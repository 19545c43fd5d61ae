"""The county the ledger, report, dashboard and stalls benches measure, and its command line.

The county is tests/ledger_seed.py's (300 organisations, 10,000 members, a year of meetings
with answers and check-ins, study topics with records and quiz answers), written into a
temporary SQLite file, or into the PostgreSQL database given by --postgres (emptied first).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.db import create_engine
from storage.migrate import upgrade
from tests.conftest import reset_postgres
from tests.ledger_seed import Sizes, seed_county

TZ = ZoneInfo("Asia/Shanghai")
YEAR_END = datetime(2026, 12, 31, 15, 0, tzinfo=UTC)  # 23:00 on New Year's Eve in Beijing


def county_parser(doc: str) -> argparse.ArgumentParser:
    """The arguments every county bench takes (its size, the database); a bench adds its own.
    `doc` is the bench's module docstring, whose first line describes it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database URL (emptied first)")
    return parser


@asynccontextmanager
async def seeded_county(
    args: argparse.Namespace, until: datetime | None = None
) -> AsyncIterator[str]:
    """The database URL, migrated and holding the county (meetings up to `until`, default the
    whole year); the temporary SQLite file goes when the block ends."""
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite+aiosqlite:///{folder}/county.db"
        if args.postgres:
            await reset_postgres(url)
        await upgrade(url)
        engine = create_engine(url)
        async with engine.begin() as connection:
            counts = await seed_county(connection, Sizes(args.orgs, args.members), until=until)
        await engine.dispose()
        print("seeded:", ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        yield url

"""设岗定责 at county scale.

The seeded county of bench/ledger.py (300 organisations, 10,000 members), each branch with
five posts held by two members each and a year of duty reports (each holder reports in a
month with probability 1/2, one to three times): how long the monthly reminder run takes
(one transaction, what the sweep does on the reminder day), /posts of one branch, the
campaign count (`duty_report_counts`) over the county's year, and the ledger's 设岗定责 rows
of the county's year.

Reproduce: .venv/bin/python bench/posts.py [--url postgresql+asyncpg://…]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select
from stall import timed  # bench/stall.py

from bot.core.domain import OrgKind
from bot.core.ledger_snapshot import OrgInfo
from bot.services import posts
from bot.services.checkup import Moment
from bot.services.ledger_posts import duty_rows
from storage.db import Database, create_engine
from storage.migrate import upgrade
from storage.models import DutyReport, Member, Organisation, Post, PostHolder
from storage.repositories.posts import duty_report_counts
from tests.conftest import reset_postgres
from tests.ledger_seed import Sizes, seed_county

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 25, 1, 0, tzinfo=UTC)  # the reminder day, 09:00 in Beijing
NAMES = ("政策宣传", "纠纷调解", "民意报告", "村务监督", "扶贫济困")


async def seed_posts(db: Database) -> dict[str, int]:
    """Posts, holders and a year of reports in every branch."""
    rng = random.Random(1)
    async with db.sessions.begin() as session:
        conn = await session.connection()
        await seed_county(conn, Sizes(), until=NOW)
        branches = (
            await session.scalars(
                select(Organisation.id).where(Organisation.kind == OrgKind.BRANCH)
            )
        ).all()
        roster: dict[int, list[int]] = {}
        for org_id, user_id in await session.execute(
            select(Member.organisation_id, Member.user_id).where(
                Member.organisation_id.in_(branches)
            )
        ):
            roster.setdefault(org_id, []).append(user_id)
        post_rows, holder_rows, report_rows = [], [], []
        post_id = 0
        for org_id in branches:
            people = roster.get(org_id, [])
            for name in NAMES:
                post_id += 1
                post_rows.append(
                    {
                        "id": post_id,
                        "organisation_id": org_id,
                        "name": name,
                        "duties": name,
                        "created_by": None,
                        "created_at": NOW,
                    }
                )
                for user_id in rng.sample(people, min(2, len(people))):
                    holder_rows.append(
                        {
                            "post_id": post_id,
                            "user_id": user_id,
                            "assigned_at": NOW,
                            "assigned_by": None,
                        }
                    )
                    for month in range(1, 13):
                        if rng.random() < 0.5:
                            continue
                        for _ in range(rng.randint(1, 3)):
                            moment = datetime(2026, month, rng.randint(1, 20), 10, tzinfo=TZ)
                            report_rows.append(
                                {
                                    "organisation_id": org_id,
                                    "post_id": post_id,
                                    "post_name": name,
                                    "user_id": user_id,
                                    "text": "走访了群众" * 5,
                                    "photo_file_id": None,
                                    "reported_at": moment,
                                }
                            )
        for model, rows in (
            (Post, post_rows),
            (PostHolder, holder_rows),
            (DutyReport, report_rows),
        ):
            for start in range(0, len(rows), 5000):
                await conn.execute(insert(model.__table__), rows[start : start + 5000])  # type: ignore[attr-defined]
    return {
        "branches": len(branches),
        "posts": len(post_rows),
        "holders": len(holder_rows),
        "reports": len(report_rows),
    }


async def main(url: str) -> None:
    if url.startswith("postgresql"):
        await reset_postgres(url)
    await upgrade(url)
    db = Database(create_engine(url))
    print(await seed_posts(db))
    at = Moment(NOW, TZ)

    async def run() -> int:
        async with db.sessions.begin() as session:
            return await posts.run(session, "2026-12", at)

    async def board() -> Any:
        async with db.sessions.begin() as session:
            org = await session.scalar(
                select(Organisation.id).where(Organisation.kind == OrgKind.BRANCH)
            )
            assert org is not None
            start = datetime(2026, 12, 1, tzinfo=TZ)
            return await posts.board(session, org, "支部", (start, NOW), "2026年12月")

    async def counts() -> dict[tuple[int, int], int]:
        async with db.sessions.begin() as session:
            ids = (await session.scalars(select(Organisation.id))).all()
            return await duty_report_counts(session, ids, datetime(2026, 1, 1, tzinfo=TZ), NOW)

    async def rows() -> list[Any]:
        async with db.sessions.begin() as session:
            orgs = [
                OrgInfo(o.id, o.name, o.kind, o.parent_id)
                for o in (await session.scalars(select(Organisation))).all()
            ]
            return await duty_rows(session, orgs, (datetime(2026, 1, 1, tzinfo=TZ), NOW))

    queued = await timed("reminder run (fan-out)", run)
    print(f"  {queued} reminders queued")
    shown = await timed("/posts of one branch", board)
    print(f"  {len(shown.posts)} posts")
    found = await timed("duty_report_counts, county, year", counts)
    print(f"  {len(found)} (organisation, member) pairs")
    lines = await timed("ledger 设岗定责 rows, county, year", rows)
    print(f"  {len(lines)} rows")
    await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(main(args.url or f"sqlite+aiosqlite:///{folder}/bench.db"))

"""Campaign points at county scale.

The seeded county of bench/ledger.py (300 organisations, 10,000 members, a year of meetings
with check-ins, topics with study records and quiz answers) with a campaign of the county
(县委, everything below) over 2026: how long the points take to compute (every fact counted,
nothing stored), /rank of the county and of one branch, the weekly run (one leaderboard per
group, queued in one transaction) and a branch's 五星党员 draft for the year. Beside each, a
ticker in the bench's event loop (bench/stall.py) records the worst stall every other chat
would see: the points of many organisations are computed in a child process
(bot/services/campaign_build.py), a branch's by Database.read_apart (SQLite: in a thread); to
compare, the whole county's once in the loop, as before, and once by read_apart.

Reproduce: .venv/bin/python bench/campaigns.py [--url postgresql+asyncpg://…]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from stall import timed  # bench/stall.py

from bot.core.campaigns import DEFAULT_RULES, Campaign, window
from bot.core.domain import OrgKind
from bot.core.sandbox import run_isolated
from bot.services import stars
from bot.services.campaign_build import RANK_BUDGET, rank_text
from bot.services.campaign_messages import WEEK, run_week
from bot.services.campaign_render import render_rank
from bot.services.campaigns import tally
from storage.db import Database, create_engine
from storage.migrate import upgrade
from storage.models import Delivery, Organisation
from storage.records import DeliveryRecord, DeliveryStatus
from storage.repositories.campaigns import CampaignRepo
from tests.conftest import reset_postgres
from tests.ledger_seed import COUNTY, Sizes, seed_county

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 25, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


async def prepare(db: Database) -> tuple[Campaign, int, int]:
    """The county, its campaign over 2026, the county's id and the first branch's."""
    async with db.sessions.begin() as session:
        print(await seed_county(await session.connection(), Sizes(), until=NOW))
        county = await session.scalar(select(Organisation.id).where(Organisation.name == COUNTY))
        branch = await session.scalar(
            select(func.min(Organisation.id)).where(Organisation.kind == OrgKind.BRANCH)
        )
        assert county is not None
        assert branch is not None
        campaign = await CampaignRepo(session).create(
            organisation_id=county,
            name="全年竞赛",
            window=window(date(2026, 1, 1), 365, TZ),
            subtree=True,
            rules=DEFAULT_RULES,
            created_by=1,
            now=NOW,
        )
    if db.engine.dialect.name == "postgresql":
        # Bulk-loaded tables have no statistics yet (autovacuum gathers them in service):
        # without them PostgreSQL plans the quiz count as for an empty table (~20 s).
        async with db.sessions.begin() as session:
            await session.execute(text("ANALYZE"))
    return campaign, county, branch


async def main(url: str) -> None:
    """Seed, then time each use."""
    if url.startswith("postgresql"):
        await reset_postgres(url)
    await upgrade(url)
    db = Database(create_engine(url))
    campaign, county, branch = await prepare(db)

    async def rank(org_id: int) -> str:
        """As CampaignService.rank: a branch's in a thread, a county's in a child process."""
        if org_id != branch:
            return await run_isolated(
                rank_text, db.url, campaign, org_id, NOW, TZ.key, budget=RANK_BUDGET
            )

        async def board(session: AsyncSession) -> str:
            return render_rank(await tally(session, campaign, NOW, org_id), org_id, NOW, TZ)

        return await db.read_apart(board)

    async def week() -> int:
        run = DeliveryRecord(
            0, f"campaign:{campaign.id}:week51", WEEK, 0, NOW, None, DeliveryStatus.SENDING, 0,
            {"campaign": campaign.id, "week": 51},
        )  # fmt: skip
        await run_week(db, run, NOW, TZ)
        async with db.sessions.begin() as session:
            return int(await session.scalar(select(func.count()).select_from(Delivery)) or 0)

    async def draft() -> int:
        async with db.sessions.begin() as session:
            org = await session.get(Organisation, branch)
            assert org is not None
            period = stars.Period("2026", "2026年", *window(date(2026, 1, 1), 365, TZ))
            return len(await stars.ratings(session, branch, period, NOW, TZ))

    async def count(session: AsyncSession) -> int:
        return len((await tally(session, campaign, NOW)).totals)

    async def in_loop() -> int:
        async with db.transaction() as session:
            return await count(session)

    print(f"  {await timed('points of the whole county, in the loop (before)', in_loop)}")
    whole = await timed("points of the whole county, read_apart", lambda: db.read_apart(count))
    print(f"  {whole} members with points")
    text = await timed("/rank in the county's group", lambda: rank(county))
    print(f"  {len(text.splitlines())} lines")
    text = await timed("/rank in a branch's group", lambda: rank(branch))
    print(f"  {len(text.splitlines())} lines")
    print(f"  {await timed('weekly run (a post per group)', week)} posts queued")
    print(f"  {await timed('五星党员 draft of a branch, 2026', draft)} members rated")
    await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(main(args.url or f"sqlite+aiosqlite:///{folder}/bench.db"))

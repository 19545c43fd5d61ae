"""The dashboard's 概览 on a county: server time per request, and what each part costs.

Seeds the county of bench/_county.py (300 organisations, 10,000 members, meetings with
answers and check-ins up to 20 November 2026, study topics) into a temporary SQLite file (or
an emptied PostgreSQL database with --postgres URL), then calls DashboardService.overview as
/api/overview does, for the county administrator (all 300) and a township secretary, over
this quarter and the year. Prints the median and worst of --runs cold calls (nothing cached), a
call within the minute the 概览 is reused, the worst stall of the bench's event loop during a
cold call (bench/stall.py: the counts run apart), and the share spent in the database's counts.

With --away N, N members (every so many across the county) have been away (流动党员) since
1 September: the organisations they are away from are counted by the ledger's own rule.

    .venv/bin/python bench/dashboard.py [--orgs 300] [--members 10000] [--runs 5] [--away 0]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _county import TZ, county_parser, seeded_county  # bench/_county.py
from sqlalchemy import insert, select, text
from stall import watched  # bench/stall.py

from bot.core.clock import FakeClock
from bot.core.domain import Role
from bot.services.access import AccessService
from bot.services.dashboard_service import DashboardService
from bot.services.overview_counts import read_overview
from storage.db import Database, create_engine
from storage.models import Member, Organisation
from storage.models.floating import FloatingStay

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
SUPERADMIN = 42


async def _not_admin(_chat: int, _user: int) -> bool:
    return False


async def township_secretary(database: Database) -> int:
    """Someone given the 书记 post of 第1镇党委 (the seed gives posts only in branches)."""
    async with database.sessions.begin() as session:
        town = (
            await session.execute(select(Organisation.id).where(Organisation.name == "第1镇党委"))
        ).scalar_one()
        session.add(
            Member(
                organisation_id=town,
                user_id=1000,
                role=Role.SECRETARY,
                status="full",
                floating=False,
                joined_at=NOW,
                left_at=None,
            )
        )
    return 1000


async def send_away(database: Database, how_many: int) -> None:
    """`how_many` branch members, picked at random over the county, away since 1 September."""
    if how_many <= 0:
        return
    since = datetime(2026, 9, 1, tzinfo=TZ)
    async with database.sessions.begin() as session:
        rows = (
            await session.execute(
                select(Member.organisation_id, Member.user_id)
                .join(Organisation, Organisation.id == Member.organisation_id)
                .where(Organisation.kind == "branch", Member.role == Role.MEMBER)
                .order_by(Member.user_id)
            )
        ).all()
        chosen = random.Random(1).sample(rows, min(how_many, len(rows)))
        await session.execute(
            insert(FloatingStay),
            [
                {
                    "organisation_id": org,
                    "user_id": user,
                    "place": "广东省东莞市",
                    "since": date(2026, 9, 1),
                    "started_at": since,
                    "created_at": since,
                }
                for org, user in chosen
            ],
        )


async def timed(call: object, runs: int) -> tuple[float, float]:
    """Median and worst milliseconds of `runs` awaits of call()."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await call()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


async def measure(url: str, runs: int, away: int) -> None:
    """Time the 概览 on the seeded county."""
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":  # as autovacuum keeps a database in use
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("VACUUM ANALYZE"))
    database = Database(engine)
    service = DashboardService(
        database, FakeClock(NOW), AccessService(frozenset({SUPERADMIN}), _not_admin), TZ
    )
    secretary = await township_secretary(database)
    await send_away(database, away)
    for who, user in (("county admin", SUPERADMIN), ("township secretary", secretary)):
        for period in ("本季度", "2026年"):
            found = await service.overview(user, period)

            async def cold(u: int = user, p: str = period) -> None:
                service.forget()
                await service.overview(u, p)

            median, worst = await timed(cold, runs)
            warm, _ = await timed(lambda u=user, p=period: service.overview(u, p), runs)
            stall = (await watched(cold)).stall * 1000
            print(
                f"{who:18} {period:5} {len(found.organisations):3} orgs: cold median"
                f" {median:.0f} ms, worst {worst:.0f} ms; within a minute {warm:.1f} ms;"
                f" worst event-loop stall (cold) {stall:.0f} ms"
            )
    quarter = service.period("本季度")

    async def read_only() -> None:
        async with database.transaction() as session:
            await read_overview(session, 1, quarter, TZ, NOW)

    median, worst = await timed(read_only, runs)
    print(f"of which the database counting the county's quarter: median {median:.0f} ms")
    await database.dispose()


async def main() -> None:
    """Seed, then time the 概览."""
    parser = county_parser(__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--away", type=int, default=0, help="members away since September")
    args = parser.parse_args()
    async with seeded_county(args, until=NOW) as url:
        await measure(url, args.runs, args.away)


if __name__ == "__main__":
    asyncio.run(main())

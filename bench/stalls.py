"""The event loop's worst stall during the reads of a county that run on it.

Seeds the county of bench/_county.py (300 organisations, 10,000 members, a year of
meetings, answers and study records) into a temporary SQLite file (or an emptied PostgreSQL
database with --postgres URL), then times each read as the bot runs it,
with the ticker of bench/stall.py beside it: a make-up study message composed as
Outbox.prepare does (the topic sent to the most groups, a member on leave from that month's
主题党日), a group's study reminder, /checkup of the county, /floating, /posts and
/liangshen of the county. Each is run --runs times; the worst stall and the median time are
printed, with the ticker's worst on an idle loop to read them against.

    .venv/bin/python bench/stalls.py [--runs 5] [--orgs 300] [--members 10000] [--postgres URL]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _county import TZ, county_parser, seeded_county  # bench/_county.py
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from stall import idle_stall, watched  # bench/stall.py

from bot.core.clock import FakeClock
from bot.core.study_time import month_bounds
from bot.services import checkup, liangshen, posts, study
from bot.services.checkup import Moment
from bot.services.outbox import Outbox
from bot.services.study_messages import delivery_kinds
from storage.db import Database, create_engine
from storage.models import StudyTarget
from storage.records import DeliveryRecord, DeliveryStatus
from storage.repositories import ChatRepo, OrganisationRepo
from storage.repositories.floating import FloatingRepo
from storage.repositories.meetings import AnswerRepo
from storage.repositories.study import StudyRepo

NOW = datetime(2026, 12, 25, 1, 0, tzinfo=UTC)
COUNTY = 1


async def study_deliveries(database: Database) -> tuple[DeliveryRecord, DeliveryRecord]:
    """A make-up message and a group reminder of the topic sent to the most groups."""
    async with database.transaction() as session:
        topic_id = await session.scalar(
            select(StudyTarget.topic_id)
            .group_by(StudyTarget.topic_id)
            .order_by(func.count().desc(), StudyTarget.topic_id)
            .limit(1)
        )
        assert topic_id is not None
        topic = await StudyRepo(session).get(topic_id)
        assert topic is not None
        start, end = month_bounds(topic.publish_at, TZ)
        org_ids = await session.scalars(
            select(StudyTarget.organisation_id).where(StudyTarget.topic_id == topic_id)
        )
        user, org = 0, 0
        for org in org_ids:
            leaves = await AnswerRepo(session).leaves_from_themed_days(org, start, end)
            if leaves:
                user = leaves[0][0]
                break
    payload: dict[str, Any] = {"topic": topic_id, "org": org, "topic_key": "none"}
    makeup = DeliveryRecord(
        0, "bench:makeup", study.MAKEUP, user, NOW, None, DeliveryStatus.SENDING, 0, payload
    )
    remind = DeliveryRecord(
        0, "bench:remind", study.REMIND, -1, NOW, None, DeliveryStatus.SENDING, 0, payload
    )
    return makeup, remind


def reads(database: Database) -> dict[str, Callable[[], Awaitable[object]]]:
    """Each read of the county as its command (or the sweep) runs it."""
    at = Moment(NOW, TZ)

    async def checkup_read(session: AsyncSession) -> object:
        org = await OrganisationRepo(session).get(COUNTY)
        assert org is not None
        await checkup.standing_of(session, org, at)
        return await checkup.below(session, COUNTY, at)

    async def checkup_county() -> object:
        return await database.read_apart(checkup_read)  # as CheckupService.checkup

    async def floating_county() -> object:
        async with database.transaction() as session:
            repo = FloatingRepo(session)
            return [await repo.last_activity(s.user_id) for s in await repo.open_of_org(COUNTY)]

    async def posts_county() -> object:
        async with database.transaction() as session:
            span = (datetime(2026, 12, 1, tzinfo=TZ), datetime(2027, 1, 1, tzinfo=TZ))
            return await posts.board(session, COUNTY, "县委", span, "12月")

    async def liangshen_county() -> object:
        async with database.transaction() as session:
            below = await OrganisationRepo(session).descendant_ids(COUNTY)
            chats = await ChatRepo(session).for_organisations(below)
            return await liangshen.groups(session, [chat.id for chat in chats])

    return {
        "/checkup of the county": checkup_county,
        "/floating of the county": floating_county,
        "/posts of the county": posts_county,
        "/liangshen of the county": liangshen_county,
    }


async def report(label: str, work: Callable[[], Awaitable[object]], runs: int) -> None:
    """Run `work` `runs` times beside the ticker; print the median time and worst stall."""
    found = [await watched(work) for _ in range(runs)]
    median = statistics.median(w.seconds for w in found) * 1000
    stall = max(w.stall for w in found) * 1000
    print(f"{label:32} median {median:6.1f} ms, worst event-loop stall {stall:6.1f} ms")


async def measure(url: str, runs: int) -> None:
    """Watch each read of the seeded county."""
    database = Database(create_engine(url))
    outbox = Outbox(database, FakeClock(NOW), "bench")
    outbox.register(delivery_kinds(database, TZ))
    makeup, remind = await study_deliveries(database)
    await report("make-up message (prepare)", lambda: outbox.prepare(makeup), runs)
    # The reminder queues private nudges (once: by key), as the sweep composes it.
    kind = outbox.kind(study.REMIND)
    await report("group study reminder (compose)", lambda: kind.compose(remind, NOW), runs)
    for label, work in reads(database).items():
        await report(label, work, runs)
    print(f"the ticker on an idle loop: worst {await idle_stall(1.0) * 1000:.1f} ms")
    await database.dispose()


async def main() -> None:
    """Seed, then watch each read."""
    parser = county_parser(__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    async with seeded_county(args, until=NOW) as url:
        await measure(url, args.runs)


if __name__ == "__main__":
    asyncio.run(main())

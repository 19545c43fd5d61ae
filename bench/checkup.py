"""三会一课 warnings and meeting records at county scale.

A county (ORGS branches under 15 township committees, a secretary and 30 members each, a
year of meetings of which about a third is skipped and half of the rest checked in to):
how long the warning run of a quarter's end takes (one transaction, what the sweep does on
the warning day), how long `/checkup` of the county takes (every organisation below), and
how long one large record (2 × 20,000 characters, 30 people) takes to render as .docx.

Reproduce: .venv/bin/python bench/checkup.py [--orgs 300]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.domain import Domain, OrgKind, Role
from bot.core.meetings import MeetingType
from bot.core.minutes import MinutesStatus, Turnout
from bot.services import checkup
from bot.services.checkup import Moment
from bot.services.minutes import MinutesView
from bot.services.minutes_render import render_docx
from storage.db import Database, create_engine
from storage.migrate import upgrade
from storage.records import MinutesRecord
from storage.repositories import ChatRepo, DeliveryRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.attendance import AttendanceRepo
from storage.repositories.meetings import MeetingRepo

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2026
MONTHLY = (MeetingType.COMMITTEE, MeetingType.THEMED_DAY)
QUARTERLY = (MeetingType.ASSEMBLY, MeetingType.LECTURE)


def plan_year(rng: random.Random) -> list[tuple[MeetingType, datetime]]:
    """One branch's meetings of the year up to December, a third of them skipped."""
    found = []
    for month in range(1, 13):
        kinds = list(MONTHLY) + (list(QUARTERLY) if month % 3 == 2 else [])
        for n, kind in enumerate(kinds):
            if rng.random() < 1 / 3:
                continue
            found.append((kind, datetime(YEAR, month, 5 + n * 3, 15, tzinfo=TZ)))
    return found


async def county(session: AsyncSession, orgs: int, now: datetime) -> int:
    """Build the county; return the county committee's id."""
    rng = random.Random(11)
    repo, members, users = OrganisationRepo(session), MemberRepo(session), UserRepo(session)
    top = await repo.create(name="县委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now)
    towns = []
    user_id = 1_000_000
    for t in range(16):
        town = top
        if t:
            town = await repo.create(
                name=f"第{t}镇党委", kind=OrgKind.COMMITTEE, domain=Domain.ORGAN, now=now
            )
            await repo.set_parent(town.id, top.id)
            towns.append(town.id)
        user_id += 1  # the committee's secretary, who gets the summary
        await users.upsert(user_id, username=None, display_name=f"书记{t}", now=now)
        await users.set_can_dm(user_id, True, now)
        await members.join(town.id, user_id, now)
        await members.set_role(town.id, user_id, Role.SECRETARY)
    for n in range(orgs):
        org = await repo.create(
            name=f"第{n}党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now
        )
        await repo.set_parent(org.id, towns[n % len(towns)])
        chat = await ChatRepo(session).upsert(-1000 - n, title=f"群{n}", type_="group", now=now)
        await ChatRepo(session).bind(-1000 - n, org.id, now)
        people = []
        for _ in range(31):
            user_id += 1
            await users.upsert(user_id, username=None, display_name=f"党员{user_id}", now=now)
            await members.join(org.id, user_id, now)
            people.append(user_id)
        await users.set_can_dm(people[0], True, now)
        await members.set_role(org.id, people[0], Role.SECRETARY)
        for kind, starts_at in plan_year(rng):
            meeting = await MeetingRepo(session).create(
                now=now,
                organisation_id=org.id,
                chat_id=chat.id,
                kind=kind,
                starts_at=starts_at,
                organiser_id=people[0],
            )
            if rng.random() < 0.5:
                await AttendanceRepo(session).check_in(meeting.id, people[1], starts_at)
    return top.id


def large_record() -> MinutesView:
    """A record with two parts of 20,000 characters and 30 people."""
    names = [f"党员{n}" for n in range(30)]
    content, resolutions = "学习讨论。\n" * 3000, "同意。\n" * 4000
    record = MinutesRecord(1, 1, 1, MinutesStatus.DONE, "李四", content, resolutions, None, None)
    return MinutesView(
        meeting_id=1,
        kind=MeetingType.ASSEMBLY,
        title="第一党支部支部党员大会",
        when="12月5日（周六）15:00",
        place="党员活动室",
        host="张书记",
        turnout=Turnout(30, names[:20], [(n, "出差") for n in names[20:25]], names[25:]),
        agenda="学习贯彻支部工作条例",
        minutes=record,
    )


async def main(orgs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        await upgrade(url)
        database = Database(create_engine(url))
        built = datetime(YEAR, 1, 1, tzinfo=UTC)
        started = time.perf_counter()
        async with database.sessions.begin() as session:
            top = await county(session, orgs, built)
        print(f"county: {orgs} branches, built in {time.perf_counter() - started:.1f} s")
        warning_day = Moment(datetime(YEAR, 12, 25, 9, tzinfo=TZ), TZ)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        async with database.sessions.begin() as session:
            queued = await checkup.run(session, f"{YEAR}-12", warning_day)
        run_time = time.perf_counter() - started
        async with database.sessions.begin() as session:
            rows = await DeliveryRepo(session).with_prefix(f"checkup:{YEAR}-12:")
        summaries = sum(":summary:" in row.key for row in rows)
        print(
            f"warning run (quarter and year end): {run_time:.2f} s, {queued} messages queued "
            f"({queued - summaries} warnings, {summaries} summaries)"
        )
        started = time.perf_counter()
        async with database.sessions.begin() as session:
            total, behind = await checkup.below(session, top, warning_day)
        print(
            f"/checkup of the county: {time.perf_counter() - started:.2f} s "
            f"({len(behind)}/{total} behind)"
        )
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(f"peak RSS grew {grown / 1024:.0f} MB during the run and /checkup")
        view = large_record()
        started = time.perf_counter()
        size = len(render_docx(view))
        print(
            f"docx of a 40,000-character record: {(time.perf_counter() - started) * 1000:.0f} ms, "
            f"{size // 1024} KB (built off the event loop)"
        )
        await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=300)
    asyncio.run(main(parser.parse_args().orgs))

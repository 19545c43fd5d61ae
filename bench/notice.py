"""A large group's live notice, and the bot's memory with many groups (issue 9).

1. Load: an organisation of MEMBERS members (every fifth answered, a few people who
   answered but left), one meeting; the time to read what its notice shows (the roster,
   the answers, the organiser, the series) and render it: median of REPEAT.
2. Memory: the full bot (build_application on a SQLite file, long polling; in a process of
   its own, bench/_bot_process.py, as `python -m bot run` would be) with GROUPS bound groups,
   a meeting announced in each through /meeting and three members of each pressing 参加;
   that process's peak RSS (VmHWM). The emulator, which keeps a copy of every message,
   runs in the bench's process and is reported apart (until issue 9 both shared one process
   and one figure).

The database is a temporary SQLite file; --postgres URL measures the load on PostgreSQL
(that database is EMPTIED first; the memory part always uses SQLite).

Reproduce: .venv/bin/python bench/notice.py [--members 10000] [--groups 1000]
           .venv/bin/python bench/notice.py --groups 0 \
               --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from bench.updates import _announce, _bind, _empty
from bot.core.clock import SystemClock
from bot.core.domain import Domain, MemberStatus, OrgKind, Role
from bot.core.meeting_args import parse_meeting_args
from bot.core.meetings import Rsvp
from bot.services import meetings
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_views import render_notice
from emulator.emulator import BotApiEmulator
from emulator.ratelimit import RateLimits
from storage.db import Database, create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Member, User
from storage.models.meetings import MeetingAnswer
from storage.repositories import ChatRepo, OrganisationRepo

BOT_PROCESS = str(Path(__file__).resolve().parent / "_bot_process.py")
CONFIG = MeetingConfig(tz=ZoneInfo("Asia/Shanghai"), offsets=())


async def load_time(url: str, members: int, repeat: int) -> float:
    """Median milliseconds to read and render the notice of a `members`-member group."""
    await upgrade(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    now = SystemClock().now()
    try:
        async with sessions.begin() as session:
            meeting = await _big_meeting(session, members, now)
        timings = []
        for _ in range(repeat):
            began = time.perf_counter()
            async with sessions.begin() as session:
                view = await meetings.notice_view(session, meeting, CONFIG, now)
            render_notice(view)
            timings.append(time.perf_counter() - began)
    finally:
        await engine.dispose()
    return statistics.median(timings) * 1000


async def _big_meeting(session: Any, members: int, now: Any) -> Any:
    org = await OrganisationRepo(session).create(
        name="大支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now
    )
    chats = ChatRepo(session)
    await chats.upsert(-1, title="大支部群", type_="supergroup", now=now)
    await chats.bind(-1, org.id, now)
    people = range(1, members + 1)
    await session.execute(
        insert(User),
        [
            {
                "id": n,
                "display_name": f"党员{n}",
                "can_dm": n % 2 == 0,
                "created_at": now,
                "updated_at": now,
            }
            for n in people
        ],
    )
    left = {n for n in people if n % 97 == 0}  # answered, then left the group
    await session.execute(
        insert(Member),
        [
            {
                "organisation_id": org.id,
                "user_id": n,
                "role": Role.MEMBER,
                "status": MemberStatus.FULL,
                "floating": False,
                "joined_at": now,
                "left_at": now if n in left else None,
            }
            for n in people
        ],
    )
    chat = await chats.get(-1)
    assert chat is not None
    request = parse_meeting_args("党课 明天下午3点", now, CONFIG.tz)
    meeting = await meetings.create_meeting(
        session, chat, meetings.Person(1, None, "书记"), request, CONFIG, now
    )
    await session.execute(
        insert(MeetingAnswer),
        [
            {
                "meeting_id": meeting.id,
                "user_id": n,
                "rsvp": Rsvp.YES if n % 2 else Rsvp.LEAVE,
                "reason": None if n % 2 else "出差",
                "answered_at": now,
            }
            for n in people
            if n % 5 == 0 or n in left
        ],
    )
    return meeting


async def peak_rss(url: str, groups: int) -> tuple[float, float]:
    """Peak RSS in MB of the bot's process with `groups` live notices, and of this process
    (the emulator with its copy of every message, and the driver)."""
    emu = await BotApiEmulator(
        rate_limits=RateLimits(global_per_second=None, group_per_minute=None),
        check_results=False,
    ).start()
    bot: asyncio.subprocess.Process | None = None
    try:
        await upgrade(url)
        made = []
        for g in range(groups):
            people = [emu.add_user(f"书记{g}")] + [emu.add_user(f"党员{g}-{m}") for m in range(3)]
            group = emu.add_group(
                f"第{g}支部群", members=people, admins=people[:1], bot_admin=True
            )
            made.append((group, people))
        database = Database(create_engine(url))
        try:
            await _bind(database, made)
        finally:
            await database.dispose()
        bot = await asyncio.create_subprocess_exec(
            sys.executable,
            BOT_PROCESS,
            emu.token,
            emu.base_url,
            emu.base_file_url,
            url,
            str(_free_port()),
        )
        notices = await _announce(emu, made)
        pressed = 0
        for notice in notices:
            for member in notice.members:
                await emu.wait_for(lambda n=pressed: len(emu.callback_answers) >= n - 64, 60)
                emu.press_button(notice.group, member, notice.message_id, text="参加")
                pressed += 1
        await emu.wait_for(lambda: len(emu.callback_answers) >= pressed, 120)
        await emu.settle(quiet=2.0, timeout=120)  # the notice edits of the last slot
        bot_mb = _peak_mb(bot.pid)
    finally:
        if bot is not None and bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
        await emu.stop()
    return bot_mb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _peak_mb(pid: int) -> float:
    """A live process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc (Linux only)")


def main() -> None:
    """Parse arguments, measure, print."""
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("handlers.errors").setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL; it is EMPTIED first")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.groups:  # first: the peak must not be the load test's 10,000 members
            bot, driver = asyncio.run(
                peak_rss(f"sqlite+aiosqlite:///{folder}/rss.db", args.groups)
            )
            print(
                f"peak RSS with {args.groups:,} groups (SQLite): the bot's process {bot:.0f} MB "
                f"(the emulator and driver, in the bench's process: {driver:.0f} MB)"
            )
        url = args.postgres or f"sqlite+aiosqlite:///{folder}/load.db"
        if args.postgres:
            asyncio.run(_empty(url))
        ms = asyncio.run(load_time(url, args.members, args.repeat))
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(
            f"notice of a {args.members:,}-member group ({database}): {ms:.0f} ms to load and "
            f"render (median of {args.repeat})"
        )


if __name__ == "__main__":
    main()

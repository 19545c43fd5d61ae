"""Reminder storm: many meeting reminders due at one instant, against Telegram's limits.

The real application (real clock, the emulator enforcing 30 messages/s overall and 20/min
per group) holds GROUPS meetings, one per group, whose 1-hour reminders all fall due at the
same moment T. Telegram lets the n-th of them out no earlier than T + n/30 s; printed is how
much later than that bound each reminder arrived (the median and the worst), and the 429s.
Goal (issue 9): the worst at most 1 s beyond the bound.

Reproduce: .venv/bin/python bench/reminders.py [--groups 300]
           DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench .venv/bin/python \
               bench/reminders.py
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy.ext.asyncio import AsyncSession

from bench.broadcast import _stop, database_url, require_empty, start
from bot.config import ConfigError, redact_url
from bot.context import AppApplication
from bot.core.clock import SystemClock
from bot.core.domain import Domain, OrgKind
from bot.core.meetings import MeetingType
from bot.services.meeting_plan import MeetingConfig, plan
from emulator.emulator import BotApiEmulator
from emulator.world import Chat
from storage.repositories import ChatRepo, MemberRepo, OrganisationRepo, UserRepo
from storage.repositories.meetings import MeetingRepo

LEAD = timedelta(seconds=15)  # time to set everything up before the reminders fall due
PHYSICAL_RATE = 30.0


async def storm(
    application: AppApplication, emu: BotApiEmulator, groups: int
) -> tuple[list[Chat], float]:
    """GROUPS bound groups, each with a member and a meeting whose reminder is due at T;
    returns the groups and T on the monotonic clock the emulator stamps requests with."""
    runtime = application.bot_data.runtime
    now = SystemClock().now()
    due = now + LEAD
    config = MeetingConfig(tz=runtime.settings.timezone, offsets=(timedelta(hours=1),))
    chats = [emu.add_group(f"第{n}支部群", with_bot=True) for n in range(groups)]
    async with runtime.database.sessions.begin() as session:
        for n, chat in enumerate(chats):
            await reminder_due(session, chat, n, due, config)
    return chats, time.monotonic() + (due - SystemClock().now()).total_seconds()


async def reminder_due(
    session: AsyncSession, chat: Chat, n: int, due: datetime, config: MeetingConfig
) -> None:
    """Bind `chat` to branch n with one member who has not answered a meeting whose
    reminder (1 hour before) falls due at `due`; its notice counts as posted."""
    now = SystemClock().now()
    chats = ChatRepo(session)
    org = await OrganisationRepo(session).create(
        name=f"第{n}党支部", kind=OrgKind.BRANCH, domain=Domain.RURAL, now=now
    )
    record = await chats.upsert(chat.id, title=chat.title or "", type_="group", now=now)
    await chats.bind(chat.id, org.id, now)
    member = 900_000_000 + n
    await UserRepo(session).upsert(member, username=None, display_name=f"党员{n}", now=now)
    await MemberRepo(session).join(org.id, member, now)
    meeting = await MeetingRepo(session).create(
        now=now,
        organisation_id=org.id,
        chat_id=record.id,
        kind=MeetingType.COMMITTEE,
        starts_at=due + timedelta(hours=1),
        organiser_id=member,
    )
    await MeetingRepo(session).set_notice_message(meeting.id, 1)  # only reminders measured
    posted = await MeetingRepo(session).get(meeting.id)
    assert posted is not None
    await plan(session, posted, config, now)


async def run(groups: int) -> None:
    """Set up, wait for the storm, print how late it came."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(folder)
        print(f"database: {redact_url(url)}", flush=True)
        emu = BotApiEmulator(check_results=False)
        await emu.start()
        application = await start(emu, url)
        try:
            await require_empty(application)
            chats, due = await storm(application, emu, groups)
            ids = {chat.id for chat in chats}

            def arrived() -> list[float]:
                return sorted(
                    r.at
                    for r in emu.requests
                    if r.method == "sendMessage" and r.status == 200 and r.get("chat_id") in ids
                )

            await emu.wait_for(lambda: len(arrived()) >= groups or None, timeout=120)
            times = arrived()
        finally:
            await _stop(application)
            await emu.stop()
    late = [at - (due + n / PHYSICAL_RATE) for n, at in enumerate(times)]
    print(f"reminders due at one instant: {groups}; arrived: {len(times)}")
    print(f"first arrived {times[0] - due:.2f} s after it was due; last {times[-1] - due:.2f} s")
    print(
        f"beyond the 30/s bound: median {statistics.median(late):.2f} s, "
        f"worst {max(late):.2f} s (goal ≤ 1 s)"
    )
    print(f"429 responses: {emu.stats.rate_limited}")


def main() -> None:
    """Parse arguments and run."""
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=300)
    try:
        asyncio.run(run(parser.parse_args().groups))
    except ConfigError as exc:
        sys.exit(f"Configuration error: {exc}")


if __name__ == "__main__":
    main()

"""Campaign points of many organisations, computed in a child process (bot.core.sandbox).

A county's points are 11,000 members' counts: read and ranked in a thread, the rows crossing
into Python held the bot's loop for 0.1-0.2 s at a time (the worker took the GIL back after
each row; bench/campaigns.py). A child process shares no GIL: the bot's loop only waits for
its answer. Each entry reads a read-only snapshot of the database at `url` and returns plain
values (text, or the posts to queue).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.campaigns import Campaign
from bot.core.sandbox import Budget
from bot.services.campaign_render import render_rank, render_summary, render_week
from bot.services.campaigns import tally
from storage.repositories import ChatRepo
from storage.snapshot import read_only_session

# The weekly and summary runs: background work at a low priority, so the bot's own loop
# gets the CPU first. /rank: someone waits for it, at the bot's own priority.
BUDGET = Budget(seconds=120.0, memory_bytes=1 << 30, output_bytes=16 << 20, nice=10)
RANK_BUDGET = Budget(seconds=30.0, memory_bytes=1 << 30)
Post = tuple[str, int, str]  # (delivery key, Telegram chat id, text)


def week_posts(
    url: str, campaign: Campaign, key: str, week: int, now: datetime, tz_key: str
) -> list[Post]:
    """Each group's leaderboard of the week (a group bound to no organisation gets none)."""

    async def read() -> list[Post]:
        async with read_only_session(url) as session:
            counted = await tally(session, campaign, now)
            chats = await ChatRepo(session).for_organisations(sorted(counted.orgs))
        tz = ZoneInfo(tz_key)
        return [
            (f"{key}:{chat.id}", chat.telegram_id, render_week(counted, org, week, tz))
            for chat in chats
            if (org := chat.organisation_id) is not None
        ]

    return asyncio.run(read())


def end_posts(url: str, campaign: Campaign, key: str, now: datetime, tz_key: str) -> list[Post]:
    """The same summary for every group of the campaign."""

    async def read() -> list[Post]:
        async with read_only_session(url) as session:
            counted = await tally(session, campaign, now)
            chats = await ChatRepo(session).for_organisations(sorted(counted.orgs))
        text = render_summary(counted, ZoneInfo(tz_key))
        return [(f"{key}:{chat.id}", chat.telegram_id, text) for chat in chats]

    return asyncio.run(read())


def rank_text(url: str, campaign: Campaign, org_id: int, now: datetime, tz_key: str) -> str:
    """/rank: the organisation's leaderboard."""

    async def read() -> str:
        async with read_only_session(url) as session:
            counted = await tally(session, campaign, now, org_id)
        return render_rank(counted, org_id, now, ZoneInfo(tz_key))

    return asyncio.run(read())

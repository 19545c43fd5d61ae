"""What campaigns send later, through the outbox: the weekly leaderboard in each group of a
campaign, the end-of-campaign summary, and a published 五星党员 list.

A campaign's weekly runs and its summary run are stored when it is created (and again by
the planning job, idempotent by key): each run, when due, computes the points once and
queues one message per group, so that a restart or a late sweep still posts each once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.campaigns import Campaign, summary_at, weeks
from bot.core.sandbox import run_isolated
from bot.services.campaign_build import BUDGET, Post, end_posts, week_posts
from bot.services.outbox import DeliveryKind, Skip, composed_in_transaction
from bot.services.outgoing import Outgoing, Text
from storage.db import Database
from storage.records import DeliveryRecord
from storage.repositories import DeliveryRepo
from storage.repositories.campaigns import CampaignRepo, StarRepo

WEEK, END, POST, STARS = "campaign_week", "campaign_end", "campaign_post", "stars_list"
POST_LIFE = timedelta(days=1)  # a leaderboard a day late is still worth posting; later not
SUMMARY_LIFE = timedelta(days=7)


async def plan(session: AsyncSession, campaign: Campaign, now: datetime) -> int:
    """Store the campaign's weekly runs and its summary run (those still useful); how many
    were new."""
    repo, added = DeliveryRepo(session), 0
    for number, due in enumerate(weeks(campaign.starts_at, campaign.ends_at), start=1):
        if due + POST_LIFE <= now:
            continue
        added += await repo.enqueue(
            key=f"campaign:{campaign.id}:week{number}",
            kind=WEEK,
            chat_id=0,  # a fan-out: it sends nothing itself
            due_at=due,
            now=now,
            payload={"campaign": campaign.id, "week": number},
            expires_at=due + POST_LIFE,
        )
    due = summary_at(campaign.ends_at)
    if due + SUMMARY_LIFE > now:
        added += await repo.enqueue(
            key=f"campaign:{campaign.id}:end",
            kind=END,
            chat_id=0,
            due_at=due,
            now=now,
            payload={"campaign": campaign.id},
            expires_at=due + SUMMARY_LIFE,
        )
    return added


async def plan_all(session: AsyncSession, now: datetime) -> int:
    """Make sure every campaign not over yet has its runs stored."""
    added = 0
    for campaign in await CampaignRepo(session).ending_after(now - SUMMARY_LIFE):
        added += await plan(session, campaign, now)
    return added


async def _campaign(database: Database, delivery: DeliveryRecord) -> Campaign:
    async with database.transaction() as session:
        campaign = await CampaignRepo(session).get(int(delivery.payload["campaign"]))
    if campaign is None:
        raise Skip
    return campaign


async def run_week(
    database: Database, delivery: DeliveryRecord, now: datetime, tz: ZoneInfo
) -> None:
    """The weekly run: each group of the campaign gets its organisation's leaderboard.
    The points and every text are computed in a child process (a county's take a second
    of CPU: bot/services/campaign_build.py), then the posts are queued in one statement."""
    campaign, week = await _campaign(database, delivery), int(delivery.payload["week"])
    posts = await run_isolated(
        week_posts, database.url, campaign, delivery.key, week, now, tz.key, budget=BUDGET
    )
    await _queue(database, posts, now, POST_LIFE)


async def run_end(
    database: Database, delivery: DeliveryRecord, now: datetime, tz: ZoneInfo
) -> None:
    """The summary run: every group of the campaign gets the same summary."""
    campaign = await _campaign(database, delivery)
    posts = await run_isolated(
        end_posts, database.url, campaign, delivery.key, now, tz.key, budget=BUDGET
    )
    await _queue(database, posts, now, SUMMARY_LIFE)


async def _queue(database: Database, posts: list[Post], now: datetime, life: timedelta) -> None:
    rows = [
        {
            "key": key,
            "kind": POST,
            "chat_id": chat_id,
            "due_at": now,
            "payload": {"text": text},
            "expires_at": now + life,
        }
        for key, chat_id, text in posts
    ]

    async def attempt() -> None:
        async with database.transaction() as session:
            # One statement: 300 inserts one by one held the loop for 0.3 s.
            await DeliveryRepo(session).enqueue_many(rows, now)

    await database.retrying(attempt)


def delivery_kinds(database: Database, tz: ZoneInfo) -> dict[str, DeliveryKind]:
    """The two runs (fan-outs), a post they queued, and a published 五星党员 list."""

    async def week(d: DeliveryRecord, now: datetime) -> Outgoing | None:
        await run_week(database, d, now, tz)
        return None

    async def end(d: DeliveryRecord, now: datetime) -> Outgoing | None:
        await run_end(database, d, now, tz)
        return None

    async def post(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        del session, now  # composed by its run
        return Text(str(d.payload["text"]), html=False)

    async def stars(session: AsyncSession, d: DeliveryRecord, now: datetime) -> Outgoing:
        del now
        text = await StarRepo(session).publication(int(d.payload["publication"]))
        if text is None:
            raise Skip
        return Text(text, html=False)

    return {
        WEEK: DeliveryKind(week),
        END: DeliveryKind(end),
        POST: composed_in_transaction(database, post),
        STARS: composed_in_transaction(database, stars),
    }

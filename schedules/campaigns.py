"""Campaigns: make sure each campaign's weekly leaderboard runs and summary run are stored.

A new campaign stores them in its own transaction; this job is the safety net (a campaign
restored from a backup, a row cleaned away): the runs are keyed, so storing again adds none.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(hours=6)
FIRST = timedelta(minutes=1)
JOB_NAME = "plan_campaign_posts"


async def plan_campaign_posts(context: AppContext) -> int:
    """Store the missing runs of every campaign not over yet; how many were new."""
    added = await context.services.campaigns.plan_posts()
    if added:
        log.info("Planned %d campaign leaderboard runs", added)
    return added


def setup(application: AppApplication) -> None:
    """Start the repeating plan."""
    repeat(application, plan_campaign_posts, every=PLAN_EVERY, first=FIRST, name=JOB_NAME)

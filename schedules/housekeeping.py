"""Daily housekeeping: drafts nobody finished are forgotten."""

from __future__ import annotations

from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

HOUSEKEEPING_EVERY = timedelta(hours=24)


async def forget_stale_drafts(context: AppContext) -> int:
    """Drop guided-flow drafts left alone for two days."""
    return await context.services.drafts.forget_stale()


def setup(application: AppApplication) -> None:
    """Start the daily job."""
    repeat(
        application,
        forget_stale_drafts,
        every=HOUSEKEEPING_EVERY,
        first=timedelta(minutes=1),
        name="forget_stale_drafts",
    )

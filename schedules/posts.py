"""设岗定责 reminders: store each month's reminder run ahead in the outbox.

The run itself is an outbox row with its due time (the 三会一课 warning day), so restarts
and late sweeps still send it; this job only makes sure next month's row exists. It also
runs once at start-up (bot/app.py, before polling).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(hours=6)
JOB_NAME = "plan_duty_reminders"


async def plan_reminders(context: AppContext) -> int:
    """Store the coming reminder runs; how many were new."""
    added = await context.services.posts.plan_reminders()
    if added:
        log.info("Planned %d 设岗定责 reminder runs", added)
    return added


def setup(application: AppApplication) -> None:
    """Start the repeating plan (the first run is post_init's)."""
    repeat(application, plan_reminders, every=PLAN_EVERY, first=PLAN_EVERY, name=JOB_NAME)

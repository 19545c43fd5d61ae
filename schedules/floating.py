"""Floating members' monthly digest: make sure this month's row is in the outbox.

The digest itself is an outbox row due on the month's last day (bot/services/
floating_messages.py); /away plans the first one, and this job each month's after that.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(hours=6)
JOB_NAME = "plan_floating_digests"


async def plan_digests(context: AppContext) -> int:
    """Store this month's digests of members away; return how many were new."""
    added = await context.services.floating.plan_digests()
    if added:
        log.info("Planned %d floating members' digests", added)
    return added


def setup(application: AppApplication) -> None:
    """Start the repeating plan (the first run soon after start-up)."""
    repeat(application, plan_digests, every=PLAN_EVERY, first=timedelta(minutes=1), name=JOB_NAME)

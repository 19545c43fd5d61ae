"""三会一课 warnings: store each month's warning run ahead in the outbox.

The run itself is an outbox row with its due time (ALERT_DAYS_BEFORE days before the month
ends), so restarts and late sweeps still send it; this job only makes sure next month's row
exists. It also runs once at start-up (bot/app.py, before polling), so tests and a freshly
started bot have it at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

log = logging.getLogger(__name__)

PLAN_EVERY = timedelta(hours=6)
JOB_NAME = "plan_checkup_alerts"


async def plan_alerts(context: AppContext) -> int:
    """Store the coming warning runs (and any meeting record not planned yet); return how
    many were new."""
    added = await context.services.checkup.plan_alerts()
    drafts = await context.services.minutes.plan_drafts()
    if added or drafts:
        log.info("Planned %d 三会一课 warning runs and %d meeting records", added, drafts)
    return added + drafts


def setup(application: AppApplication) -> None:
    """Start the repeating plan (the first run is post_init's)."""
    repeat(application, plan_alerts, every=PLAN_EVERY, first=PLAN_EVERY, name=JOB_NAME)

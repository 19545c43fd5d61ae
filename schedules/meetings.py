"""Recurring meetings: materialise every series ahead (60 days) into meetings and deliveries.

Runs shortly after start and then every few hours; materialisation is idempotent (each
series keeps the last occurrence it created), so extra or late runs do no harm.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

log = logging.getLogger(__name__)

MATERIALISE_EVERY = timedelta(hours=6)
JOB_NAME = "materialise_meeting_series"


async def materialise_series(context: AppContext) -> int:
    """Create the meetings every running series needs ahead; return how many were created."""
    created = await context.services.meetings.materialise_series()
    if created:
        log.info("Materialised %d meetings of recurring series", created)
    return created


def setup(application: AppApplication) -> None:
    """Start the repeating materialisation."""
    repeat(
        application,
        materialise_series,
        every=MATERIALISE_EVERY,
        first=timedelta(seconds=5),
        name=JOB_NAME,
    )

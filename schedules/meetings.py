"""Recurring meetings: materialise every series ahead (60 days) into meetings and deliveries.

Runs shortly after start and then every few hours; materialisation is idempotent (each
series keeps the last occurrence it created), so extra or late runs do no harm.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application

from bot.context import AppContext
from bot.services.meeting_plan import MeetingConfig
from bot.services.meeting_series import materialise
from schedules.sweep import kick
from storage.repositories.meetings import SeriesRepo

log = logging.getLogger(__name__)

MATERIALISE_EVERY = timedelta(hours=6)
JOB_NAME = "materialise_meeting_series"


async def materialise_series(context: AppContext) -> int:
    """Create the meetings every running series needs ahead; return how many were created."""
    settings, now = context.settings, context.now()
    config = MeetingConfig(tz=settings.timezone, offsets=settings.reminder_offsets)
    async with context.transaction() as session:
        series_ids = await SeriesRepo(session).active_ids()
    created = 0
    for series_id in series_ids:
        # One transaction per series: one broken rule cannot hold back the others.
        try:
            async with context.transaction() as session:
                created += len(await materialise(session, series_id, config, now))
        except Exception:
            log.exception("Could not materialise meeting series %s", series_id)
    if created:
        log.info("Materialised %d meetings of recurring series", created)
        kick(context)
    return created


def setup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start the repeating materialisation."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        materialise_series,
        interval=MATERIALISE_EVERY,
        first=timedelta(seconds=5),
        name=JOB_NAME,
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )

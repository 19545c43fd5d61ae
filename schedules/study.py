"""Study and broadcast jobs: make-up material for late leaves; broadcast progress and reports.

Both are idempotent (make-up rows have unique keys; progress edits are claimed in the
database), so late, extra or concurrent runs do no harm. Tests call them directly.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram.ext import Application

from bot.context import AppContext
from bot.services import study
from bot.services.broadcast import update_progress
from schedules.sweep import kick, outbox_of

log = logging.getLogger(__name__)

MAKEUP_EVERY = timedelta(minutes=10)
# Often enough to show each 5-second step of a broadcast's progress.
PROGRESS_EVERY = timedelta(seconds=1)


async def enqueue_makeups(context: AppContext) -> int:
    """Make-up material for leaves from 主题党日 answered after their topic went out."""
    async with context.transaction() as session:
        added = await study.sweep_makeups(session, context.now(), context.settings.timezone)
    if added:
        log.info("Queued make-up study material for %d members", added)
        kick(context)
    return added


async def broadcast_progress(context: AppContext) -> int:
    """Update running broadcasts' progress messages; finish them with their report."""
    return await update_progress(outbox_of(context.application))


def setup(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Start both repeating jobs."""
    assert application.job_queue is not None
    kwargs = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
    application.job_queue.run_repeating(
        enqueue_makeups,
        interval=MAKEUP_EVERY,
        first=timedelta(seconds=10),
        name="enqueue_study_makeups",
        job_kwargs=kwargs,
    )
    application.job_queue.run_repeating(
        broadcast_progress,
        interval=PROGRESS_EVERY,
        first=timedelta(seconds=1),
        name="broadcast_progress",
        job_kwargs=kwargs,
    )

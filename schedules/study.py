"""Study and broadcast jobs: make-up material for late leaves; broadcast progress and reports.

Both are idempotent (make-up rows have unique keys; progress edits are claimed in the
database), so late, extra or concurrent runs do no harm. Tests call them directly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.context import AppApplication, AppContext
from delivery.progress import show_broadcast_progress
from schedules.jobs import repeat

log = logging.getLogger(__name__)

MAKEUP_EVERY = timedelta(minutes=10)
# Often enough to show each 5-second step of a broadcast's progress.
PROGRESS_EVERY = timedelta(seconds=1)


async def enqueue_makeups(context: AppContext) -> int:
    """Make-up material for leaves from 主题党日 answered after their topic went out."""
    added = await context.services.study.sweep_makeups()
    if added:
        log.info("Queued make-up study material for %d members", added)
    return added


async def broadcast_progress(context: AppContext) -> int:
    """Update running broadcasts' progress messages; finish them with their report."""
    return await show_broadcast_progress(context.bot, context.services.broadcasts)


def setup(application: AppApplication) -> None:
    """Start both repeating jobs."""
    repeat(
        application,
        enqueue_makeups,
        every=MAKEUP_EVERY,
        first=timedelta(seconds=10),
        name="enqueue_study_makeups",
    )
    repeat(
        application,
        broadcast_progress,
        every=PROGRESS_EVERY,
        first=timedelta(seconds=1),
        name="broadcast_progress",
    )

"""The repeating outbox sweep (design.md: the database, not the scheduler, decides).

A delivery due now wakes the sweep itself after its commit; this tick catches what becomes
due with the passing of time (reminders) and what another process enqueued.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import AppApplication, AppContext
from schedules.jobs import repeat

SWEEP_EVERY = timedelta(seconds=2)
JOB_NAME = "sweep_due_deliveries"


async def sweep_due_deliveries(context: AppContext) -> None:
    """Start a sweep of what is due (it runs beside the job: a broadcast can take minutes)."""
    context.runtime.sweeper.wake()


def setup(application: AppApplication) -> None:
    """Start the repeating sweep."""
    repeat(
        application,
        sweep_due_deliveries,
        every=SWEEP_EVERY,
        first=timedelta(seconds=1),
        name=JOB_NAME,
    )
